// chartprov helm install|upgrade|template ARGS... --env ENV: the deploy
// gate (docs/DEPLOY-GATE.md). The chart is verified on a private copy and
// helm runs on that copy, never on the path it was given; a deny in enforce
// mode means helm does not run at all.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/events/decision_report.hpp"
#include "app/events/events.hpp"
#include "app/gate/helm_args.hpp"
#include "app/verify/decide.hpp"
#include "cli/commands.hpp"
#include "cli/event_options.hpp"
#include "cli/output.hpp"
#include "cli/trust_state_option.hpp"
#include "infra/process/attached.hpp"
#include "policy/evidence.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::cli {
namespace {

struct GateOptions {
  std::string env, policy, keyring, key, trust_dir, key_history, trusted_root, json_file;
  bool json = false;
  app::EventSinks sinks;
};

constexpr const char* kUsage =
    "Usage: chartprov helm (install|upgrade|template) ARGS... CHART --env ENV [--policy FILE]\n"
    "         [--keyring FILE | --key FILE | --trust-dir DIR] [event options] [--json] [--json-file FILE]\n"
    "       chartprov helm rollback RELEASE [REVISION] --env ENV ... (denied unless ENV is in warn or off mode)\n"
    "\n"
    "The deploy gate: verifies CHART (a packaged .tgz with its envelopes beside it, or an oci://\n"
    "reference) under the policy of ENV, then runs helm on the verified private copy. Every other\n"
    "argument goes to helm unchanged. In enforce mode (production, by default) a deny means helm\n"
    "does not run (exit 1); warn runs helm after a warning; off runs helm. helm is $CHARTPROV_HELM,\n"
    "else $HELM_BIN (as a helm plugin), else helm on PATH. See docs/DEPLOY-GATE.md.\n"
    "\n";

std::string helm_program() {
  for (const char* var : {"CHARTPROV_HELM", "HELM_BIN"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "helm";
}

std::vector<app::GateFlag> gate_flags(const CLI::App& gate) {
  std::vector<app::GateFlag> out;
  for (const CLI::Option* o : gate.get_options()) {
    for (const auto& name : o->get_lnames()) out.push_back({name, o->get_expected_max() > 0});
  }
  return out;
}

class Gate {
 public:
  Gate(const GateOptions& o, const app::HelmArgs& args) : o_(o), args_(args) {}

  int run() {
    if (o_.env.empty()) {
      return error(usage_error("--env ENV (or CHARTPROV_ENV) is required: the policy depends on where the chart goes"));
    }
    std::optional<std::filesystem::path> policy_file;
    if (!o_.policy.empty()) policy_file = o_.policy;
    auto policy = app::load_policy(policy_file);
    if (!policy) return error(policy.error().with_context("policy"));
    if (auto bad = policy::check_requested_environment(*policy, o_.env); !bad) return error(bad.error());

    const auto source = app::classify_chart(args_.chart);
    if (auto reasons = app::ungatable_reasons(args_, source); !reasons.empty()) {
      // Nothing that can be verified: a deny, which only warn or off mode lets helm past.
      return act(known(), policy::deny_unverifiable(*policy, o_.env, std::move(reasons)), std::nullopt, false);
    }

    // The verified copy lives here until helm is done (a killed gate's is removed by the next gate).
    auto dir = TempDir::create("chartprov-gate");
    if (!dir) return error(dir.error());
    app::DecideRequest req;
    req.chart = args_.chart;
    req.environment = o_.env;
    if (!o_.trust_dir.empty()) req.trust.trust_dir = o_.trust_dir;
    if (!o_.keyring.empty()) req.trust.keyring = o_.keyring;
    if (!o_.key.empty()) req.trust.key = o_.key;
    if (!o_.key_history.empty()) req.trust.key_history = o_.key_history;
    if (!o_.trusted_root.empty()) req.trust.trusted_root = o_.trusted_root;
    const bool oci = source.kind == app::ChartKind::oci;
    if (oci) {
      req.version = args_.version;
      req.connection.plain_http = args_.plain_http;
      req.connection.username = args_.username;
      if (args_.password) req.connection.password.emplace(*args_.password);
    }
    req.save_dir = dir->path();
    const auto start = std::chrono::steady_clock::now();
    auto result = app::decide(*policy, req);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result) return error(result.error());
    return act(std::move(result->evidence), std::move(result->decision), result->saved_chart, oci);
  }

 private:
  // What is known of the chart before any evidence: what the user named.
  policy::Evidence known() const {
    policy::Evidence ev;
    ev.chart = args_.chart;
    return ev;
  }

  // An error before any decision: a deny in every mode (exit 2), recorded as one.
  int error(const Error& e) {
    const int rc = report_error(e);
    std::fprintf(stderr, "chartprov: helm was not run\n");
    const app::DecisionRecord record =
        app::record_decision(known(), app::error_decision(o_.env, e), seconds_, o_.sinks);
    report_record_failures(record);
    if (o_.json || !o_.json_file.empty()) write_json(app::decision_json(record));
    return rc;
  }

  void write_json(const nlohmann::json& j) {
    if (o_.json) std::fprintf(stderr, "%s\n", j.dump().c_str());
    if (!o_.json_file.empty()) {
      if (auto st = atomic_write(o_.json_file, j.dump(2) + "\n", 0644); !st)
        report_error(st.error().with_context("--json-file"));
    }
  }

  // Production must not deploy unobserved: the decision is recorded first (an
  // allow that cannot be recorded becomes a deny), then said on stderr (stdout
  // is helm's: `helm template` output must stay clean YAML) and acted on.
  int act(policy::Evidence evidence, policy::Decision decision, const std::optional<std::filesystem::path>& copy,
          bool oci) {
    const app::DecisionRecord record =
        app::record_decision(std::move(evidence), std::move(decision), seconds_, o_.sinks);
    report_record_failures(record);
    const policy::Decision& d = record.decision;
    // off mode lets a deny through quietly: the event records it.
    if (d.allowed || d.blocks() || d.mode != policy::Mode::off) {
      std::fputs(app::decision_text(record.evidence, d).c_str(), stderr);
    }
    if (o_.json || !o_.json_file.empty()) write_json(app::decision_json(record));
    if (record.exit_code() != kExitOk) {
      std::fprintf(stderr, "chartprov: helm was not run\n");
      return record.exit_code();
    }
    std::vector<std::string> argv{helm_program()};
    if (copy) {
      auto helm_args = app::helm_argv_with_chart(args_, copy->string(), oci);
      // Helm's own --verify checks the copy's .prov with the gate's keyring (the gate took
      // --keyring); right after the command, before any `--`.
      if (args_.verify && !o_.keyring.empty()) {
        std::size_t at = args_.command_index + 1;
        if (oci) {  // dropped --version tokens before the command shift it
          for (const auto t : args_.version_tokens) at -= t < args_.command_index ? 1 : 0;
        }
        helm_args.insert(helm_args.begin() + static_cast<std::ptrdiff_t>(at), {"--keyring", o_.keyring});
      }
      argv.insert(argv.end(), helm_args.begin(), helm_args.end());
    } else if (d.allowed) {
      // An allow always comes with the verified copy; without it, fail closed.
      std::fprintf(stderr, "chartprov: internal error: no verified copy of %s; helm was not run\n",
                   args_.chart.c_str());
      return kExitError;
    } else {
      // warn/off with nothing verified (a directory, a repository name): helm gets what it was given.
      argv.insert(argv.end(), args_.helm_args.begin(), args_.helm_args.end());
    }
    std::fflush(stderr);
    const auto rc = process::run_attached(argv);
    if (!rc) return report_error(rc.error());
    return *rc;
  }

  const GateOptions& o_;
  const app::HelmArgs& args_;
  double seconds_ = 0;
};

int run_gate(const std::vector<std::string>& raw) {
  GateOptions o;
  CLI::App gate("chartprov helm: the deploy gate", "chartprov helm");
  gate.set_help_flag();  // -h/--help belong to helm's command line (see below)
  gate.add_option("--env", o.env, "the environment deployed to (production, staging, ...)")->envname("CHARTPROV_ENV");
  gate.add_option("--policy", o.policy, "policy.yaml (default: every environment enforces)");
  gate.add_option("--trust-dir", o.trust_dir, "a chartprov trust root directory: the keys it lists, in their scopes");
  gate.add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  gate.add_option_function<std::string>("--tlog-state", use_tlog_state_file, kTlogStateHelp);
  gate.add_option("--keyring", o.keyring, "OpenPGP public keys for the .prov (also given to helm's --verify)");
  gate.add_option("--key", o.key, "a public key (cosign.pub, PEM) for .sig, bundles, .prov and oci:// signatures");
  gate.add_option("--key-history", o.key_history, "keys.json: windows and revocations for --keyring/--key");
  gate.add_option("--trusted-root", o.trusted_root, "Sigstore trusted_root.json: check bundles' log entries");
  gate.add_flag("--json", o.json, "print the decision as one JSON line on stderr");
  gate.add_option("--json-file", o.json_file, "write the decision as JSON to this file");
  add_event_options(&gate, o.sinks);

  auto split = app::split_helm_args(raw, gate_flags(gate));
  if (!split) {
    report_error(split.error());
    std::fprintf(stderr, "%s", kUsage);
    return kExitError;
  }
  if (split->help) {
    // CLI11's own heading would be a second, wrong usage line: only its option list is printed.
    const std::string help = gate.help();
    const std::size_t options = help.find("Options:\n");
    std::printf("%sGate options (anywhere on the command line; everything else goes to helm):\n%s", kUsage,
                options == std::string::npos ? help.c_str() : help.c_str() + options + 9);
    return kExitOk;
  }
  std::vector<std::string> gate_args(split->gate_args.rbegin(), split->gate_args.rend());  // CLI11 takes them reversed
  try {
    gate.parse(gate_args);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "chartprov: %s\n", e.what());
    return kExitError;
  }
  Gate g(o, *split);
  return g.run();
}

}  // namespace

Runner add_helm_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "helm", "Deploy gate: verify the chart, then run helm install|upgrade|template on the verified copy");
  // Everything after `helm` is split by the gate itself (helm's flags and the gate's, anywhere).
  cmd->prefix_command();
  cmd->set_help_flag();
  return [cmd] { return run_gate(cmd->remaining()); };
}

}  // namespace chartprov::cli
