// verify-repo and mirror: whole Helm repositories.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/repo/mirror.hpp"
#include "app/repo/verify_repo.hpp"
#include "cli/commands.hpp"
#include "cli/oci_commands.hpp"
#include "cli/output.hpp"
#include "cli/trust_state_option.hpp"
#include "oci/reference.hpp"

namespace chartprov::cli {
namespace {

struct TrustFlags {
  std::string keyring, key, trust_dir, key_history, trusted_root, env, policy;
  std::vector<std::string> signers;
  bool no_cache = false;

  void add(CLI::App* cmd) {
    cmd->add_option("--keyring", keyring, "OpenPGP public keys: each chart's .prov must verify (as verify --keyring)");
    cmd->add_option("--key", key, "public key (cosign.pub): each chart's envelopes must verify (as verify --key)");
    cmd->add_option("--trust-dir", trust_dir, "a chartprov trust root directory (as verify --trust-dir)");
    cmd->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
    cmd->add_option("--env", env,
                    "the environment the charts are for: each chart's verdict is its policy's decision (--policy, else "
                    "the built-in default), as verify --env");
    cmd->add_option("--policy", policy, "policy.yaml (docs/POLICY.md); with --env");
    cmd->add_option("--key-history", key_history, "with --keyring (or --env): keys.json (windows and revocations)");
    cmd->add_option("--signer", signers, "with --keyring: only this key's signatures count (fingerprint; repeatable)");
    cmd->add_option("--trusted-root", trusted_root, "with --key: Sigstore trusted_root.json for bundle log entries");
    cmd->add_flag("--no-cache", no_cache, "do not use the keyring cache");
  }

  app::RepoTrustOptions options() const {
    app::RepoTrustOptions o;
    if (!keyring.empty()) o.keyring = keyring;
    if (!key.empty()) o.key = key;
    if (!trust_dir.empty()) o.trust_dir = trust_dir;
    if (!key_history.empty()) o.key_history = key_history;
    if (!trusted_root.empty()) o.trusted_root = trusted_root;
    o.pinned_signers = signers;
    o.environment = env;
    if (!policy.empty()) o.policy = policy;
    o.use_keyring_cache = !no_cache;
    return o;
  }
};

struct VerifyRepoOptions {
  std::string source;
  RegistryOptions registry;
  TrustFlags trust;
  unsigned jobs = 0;
  bool json = false;
  bool all = false;
};

// A one-line progress bar on stderr, redrawn at most every 100 ms.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(std::size_t done, std::size_t total, std::size_t failed) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total == 0 ? kWidth : done * kWidth / total;
    std::string bar(filled, '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %zu/%zu charts, %zu failed, %.0f/s ", bar.c_str(), done, total, failed,
                 secs > 0 ? static_cast<double>(done) / secs : 0.0);
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

nlohmann::json chart_json(const app::RepoChartResult& c) {
  nlohmann::json j = {{"file", c.file},
                      {"name", c.name},
                      {"version", c.version},
                      {"digest", c.digest},
                      {"index_digest", c.index_digest},
                      {"result", app::outcome_name(c.outcome)},
                      {"listed", c.listed},
                      {"reasons", c.reasons}};
  if (!c.signer.empty()) j["signer"] = c.signer;
  return j;
}

std::string first_line(const app::RepoChartResult& c) {
  if (c.outcome == app::ChartOutcome::kVerified) return c.signer.empty() ? "" : "signer " + c.signer;
  std::string s;
  for (const auto& r : c.reasons) s += (s.empty() ? "" : "; ") + r;
  return s;
}

void print_rows(const std::vector<app::RepoChartResult>& rows) {
  std::size_t wname = 5, wver = 7;
  for (const auto& c : rows) {
    wname = std::max(wname, c.name.empty() || !c.listed ? c.file.size() : c.name.size());
    wver = std::max(wver, c.version.size());
  }
  std::printf("%-*s  %-*s  %-8s  %s\n", static_cast<int>(wname), "CHART", static_cast<int>(wver), "VERSION", "RESULT",
              "DETAIL");
  for (const auto& c : rows) {
    std::printf("%-*s  %-*s  %-8s  %s\n", static_cast<int>(wname),
                (c.name.empty() || !c.listed ? c.file : c.name).c_str(), static_cast<int>(wver), c.version.c_str(),
                app::outcome_name(c.outcome), first_line(c).c_str());
  }
}

void print_table(const app::VerifyRepoReport& r, bool all, double secs) {
  std::vector<app::RepoChartResult> rows;
  for (const auto& c : r.charts) {
    if (all || c.outcome != app::ChartOutcome::kVerified) rows.push_back(c);
  }
  if (!rows.empty()) print_rows(rows);
  const std::size_t n = r.charts.size();
  std::printf("%zu charts: %zu verified, %zu failed, %zu unsigned (%.2f s, %.0f charts/s)\n", n, r.verified, r.failed,
              r.unsigned_charts, secs, secs > 0 ? static_cast<double>(n) / secs : 0.0);
}

int run_verify_repo(const VerifyRepoOptions& o) {
  ProgressBar bar(!o.json && ::isatty(STDERR_FILENO) == 1);
  app::VerifyRepoRequest req;
  if (oci::is_oci_reference(o.source)) {
    // A repository, not a chart: no tag. parse_reference wants a version, so
    // one is given and dropped; a reference that parses without it had a tag.
    if (oci::parse_reference(o.source).ok()) {
      return report_error(usage_error("give the OCI repository without a tag or digest: every tag is verified"),
                          o.json);
    }
    auto ref = oci::parse_reference(o.source, "0.0.0");
    if (!ref) return report_error(ref.error(), o.json);
    ref->tag.clear();
    auto connection = connection_for(*ref, o.registry);
    if (!connection) return report_error(connection.error(), o.json);
    req.oci_repository = *ref;
    req.connection = std::move(*connection);
  } else if (o.registry.plain_http || !o.registry.username.empty() || o.registry.password_stdin) {
    return report_error(usage_error("--plain-http, --username and --password-stdin are for oci:// repositories"),
                        o.json);
  } else if (o.source.starts_with("http://") || o.source.starts_with("https://")) {
    req.url = o.source;
  } else {
    req.dir = o.source;
  }
  req.trust = o.trust.options();
  req.jobs = o.jobs;
  req.progress = [&bar](std::size_t done, std::size_t total, std::size_t failed) { bar.update(done, total, failed); };
  const auto start = std::chrono::steady_clock::now();
  const auto r = app::verify_repo(req);
  bar.finish();
  if (!r) return report_error(r.error(), o.json);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    nlohmann::json charts = nlohmann::json::array();
    for (const auto& c : r->charts) charts.push_back(chart_json(c));
    const nlohmann::json j = {{"verified", r->all_verified()},
                              {"repository", o.source},
                              {"summary",
                               {{"charts", r->charts.size()},
                                {"verified", r->verified},
                                {"failed", r->failed},
                                {"unsigned", r->unsigned_charts}}},
                              {"charts", std::move(charts)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    print_table(*r, o.all, secs);
  }
  return r->all_verified() ? kExitOk : kExitFailed;
}

struct MirrorOptions {
  std::string source, dest, quarantine;
  TrustFlags trust;
  unsigned jobs = 0;
  bool json = false;
};

int run_mirror(const MirrorOptions& o) {
  if (o.source.starts_with("oci://")) {
    return report_error(usage_error("mirror reads a Helm repository (a directory or an http(s):// URL), not oci://"),
                        o.json);
  }
  ProgressBar bar(!o.json && ::isatty(STDERR_FILENO) == 1);
  app::MirrorRequest req;
  if (o.source.starts_with("http://") || o.source.starts_with("https://")) {
    req.source_url = o.source;
  } else {
    req.source = o.source;
  }
  req.dest = o.dest;
  if (!o.quarantine.empty()) req.quarantine = o.quarantine;
  req.trust = o.trust.options();
  req.jobs = o.jobs;
  req.progress = [&bar](std::size_t done, std::size_t total, std::size_t failed) { bar.update(done, total, failed); };
  const auto r = app::mirror_repo(req);
  bar.finish();
  if (!r) return report_error(r.error(), o.json);
  if (o.json) {
    nlohmann::json charts = nlohmann::json::array();
    for (const auto& c : r->charts) charts.push_back(chart_json(c));
    const nlohmann::json j = {
        {"dest", r->dest.string()},
        {"quarantine", r->quarantine.string()},
        {"summary", {{"charts", r->charts.size()}, {"mirrored", r->mirrored}, {"quarantined", r->quarantined}}},
        {"charts", std::move(charts)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    app::VerifyRepoReport table;
    for (const auto& c : r->charts) {
      if (c.outcome != app::ChartOutcome::kVerified) table.charts.push_back(c);
    }
    if (!table.charts.empty()) {
      print_rows(table.charts);
    }
    std::printf("%zu charts: %zu mirrored to %s, %zu quarantined in %s\n", r->charts.size(), r->mirrored,
                r->dest.c_str(), r->quarantined, r->quarantine.c_str());
  }
  return r->quarantined == 0 ? kExitOk : kExitFailed;
}

}  // namespace

Runner add_mirror_command(CLI::App& app) {
  auto o = std::make_shared<MirrorOptions>();
  auto* cmd =
      app.add_subcommand("mirror",
                         "Copy the charts of a Helm repository (directory or URL) that verify into a new repository "
                         "(fresh index.yaml); the others go to a quarantine directory with their reasons");
  cmd->add_option("source", o->source, "repository: a directory holding index.yaml, or its URL (https://HOST/PATH)")
      ->required();
  cmd->add_option("dest", o->dest, "the new repository: a directory that does not exist yet, or is empty")->required();
  cmd->add_option("--quarantine", o->quarantine,
                  "where charts that do not verify go, with CHART.tgz.reasons (default DEST.quarantine; new or empty)");
  o->trust.add(cmd);
  cmd->add_option("--jobs,-j", o->jobs, "charts verified at once (default: every core)")->check(CLI::Range(0u, 256u));
  cmd->add_flag("--json", o->json, "print one JSON report on stdout");
  return [o] { return run_mirror(*o); };
}

Runner add_verify_repo_command(CLI::App& app) {
  auto o = std::make_shared<VerifyRepoOptions>();
  auto* cmd = app.add_subcommand("verify-repo",
                                 "Verify every chart of a Helm repository (index.yaml, each .tgz and its "
                                 "envelopes, the digests index.yaml lists), in parallel");
  cmd->add_option("repository", o->source,
                  "directory holding index.yaml and the charts, a repository URL (https://HOST/PATH[/index.yaml]), or "
                  "an OCI repository (oci://HOST/REPO/NAME: every tag)")
      ->required();
  o->trust.add(cmd);
  cmd->add_option("--jobs,-j", o->jobs, "charts verified at once (default: every core)")->check(CLI::Range(0u, 256u));
  cmd->add_flag("--json", o->json, "print one JSON report on stdout");
  cmd->add_flag("--all", o->all, "list verified charts in the table too");
  cmd->add_flag("--plain-http", o->registry.plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  cmd->add_option("--username", o->registry.username, "oci://: registry user (with --password-stdin)");
  cmd->add_flag("--password-stdin", o->registry.password_stdin, "oci://: read the registry password from stdin");
  return [o] { return run_verify_repo(*o); };
}

}  // namespace chartprov::cli
