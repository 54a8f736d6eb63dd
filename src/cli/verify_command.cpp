#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/events/audit_events.hpp"
#include "app/verify/verify_plain.hpp"
#include "cli/argv_names.hpp"
#include "cli/commands.hpp"
#include "cli/event_options.hpp"
#include "cli/identity_options.hpp"
#include "cli/oci_commands.hpp"
#include "cli/output.hpp"
#include "cli/trust_state_option.hpp"
#include "cli/verify_decision.hpp"
#include "oci/reference.hpp"

namespace chartprov::cli {
namespace {

struct VerifyOptions {
  std::string chart;
  std::string prov;
  std::string keyring;
  std::vector<std::string> signers;
  bool json = false;
  bool no_cache = false;
  std::string key_history;
  std::string key, signature, bundle, trusted_root;
  RegistryOptions registry;
  std::string output;
  std::string trust_dir, env, policy;
  IdentityOptions identity;
  std::optional<policy::IdentityRequirement> pinned;  // from `identity`, once parsed
  app::EventSinks sinks;
};

nlohmann::json signature_json(const app::SignatureReport& s) {
  nlohmann::json j = {{"status", app::signature_status_name(s.status)},
                      {"key_id", s.key_id},
                      {"fingerprint", s.fingerprint},
                      {"primary_fingerprint", s.primary_fingerprint},
                      {"user_ids", s.user_ids},
                      {"algorithm", s.key_algorithm},
                      {"hash", s.hash}};
  if (s.created) j["created"] = *s.created;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

nlohmann::json report_json(const app::VerifyReport& r) {
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& s : r.signatures) sigs.push_back(signature_json(s));
  nlohmann::json j = {
      {"verified", r.verified},
      {"chart", {{"file", r.chart_file}, {"name", r.chart_name}, {"version", r.chart_version}, {"digest", r.digest}}},
      {"signatures", sigs},
      {"reasons", r.reasons}};
  if (const auto* s = r.signer()) j["signer"] = signature_json(*s);
  return j;
}

void print_human(const app::VerifyReport& r) {
  if (const auto* s = r.signer()) {
    for (const auto& uid : s->user_ids) std::printf("Signed by: %s\n", uid.c_str());
    std::printf("Fingerprint: %s\n", s->fingerprint.c_str());
    if (s->primary_fingerprint != s->fingerprint) std::printf("Primary key: %s\n", s->primary_fingerprint.c_str());
    std::printf("Key: %s, signature hash %s\n", s->key_algorithm.c_str(), s->hash.c_str());
    std::printf("Chart: %s %s\n", r.chart_name.c_str(), r.chart_version.c_str());
    std::printf("Digest: %s\n", r.digest.c_str());
    std::printf("Verified: %s\n", r.chart_file.c_str());
    return;
  }
  std::fprintf(stderr, "chartprov: verification FAILED for %s\n", r.chart_file.c_str());
  for (const auto& reason : r.reasons) std::fprintf(stderr, "  - %s\n", reason.c_str());
}

nlohmann::json key_report_json(const app::KeyVerifyReport& r) {
  nlohmann::json envs = nlohmann::json::array();
  for (const auto& e : r.envelopes) {
    nlohmann::json j = {{"format", e.format}, {"file", e.file}, {"verified", e.verified()}};
    if (!e.reason.empty()) j["reason"] = e.reason;
    if (e.ignored()) j["ignored"] = true;
    if (e.format == "sigstore-bundle") {
      j["tlog_entries_verified"] = e.tlog_entries_verified;
      j["timestamps_verified"] = e.timestamps_verified;
    }
    envs.push_back(std::move(j));
  }
  return envs;
}

// The trust material's files as the options name them.
app::TrustSource trust_source(const VerifyOptions& o) {
  app::TrustSource t;
  if (!o.trust_dir.empty()) t.trust_dir = o.trust_dir;
  if (!o.keyring.empty()) t.keyring = o.keyring;
  if (!o.key.empty()) t.key = o.key;
  if (!o.key_history.empty()) t.key_history = o.key_history;
  if (!o.trusted_root.empty()) t.trusted_root = o.trusted_root;
  t.identity = o.pinned;
  t.use_keyring_cache = !o.no_cache;
  return t;
}

// The plain verify pipeline's request (app/verify/verify_plain.hpp): the
// trust material and the envelopes the user named.
app::PlainVerifyRequest plain_request(const VerifyOptions& o) {
  app::PlainVerifyRequest req;
  req.chart = o.chart;
  req.trust = trust_source(o);
  if (!o.prov.empty()) req.prov = o.prov;
  if (!o.signature.empty()) req.signature = o.signature;
  if (!o.bundle.empty()) req.bundle = o.bundle;
  req.pinned_signers = o.signers;
  return req;
}

// verify --key: cosign envelopes (and the .prov too when --keyring is also given).
int run_verify_key(const VerifyOptions& o, app::DecisionEvent& ev) {
  auto plain = app::verify_plain(plain_request(o));
  if (!plain.ok()) return report_error(plain.error(), o.json);
  const std::optional<app::KeyVerifyReport> keyed = std::move(plain->keyed);
  const std::optional<app::VerifyReport> prov = std::move(plain->prov);
  const bool verified = plain->verified();  // the no-environment policy's decision
  std::vector<std::string> reasons = keyed->reasons;
  if (prov) reasons.insert(reasons.end(), prov->reasons.begin(), prov->reasons.end());
  ev = {o.chart, keyed->chart_name, keyed->chart_version, keyed->digest, "", {keyed->key_id}, verified, reasons};
  if (prov && prov->signer() != nullptr) ev.signers.push_back(prov->signer()->fingerprint);
  if (o.json) {
    nlohmann::json j = prov ? report_json(*prov) : nlohmann::json::object();
    j["verified"] = verified;
    j["chart"] = {{"file", std::filesystem::path(o.chart).filename().string()},
                  {"name", keyed->chart_name},
                  {"version", keyed->chart_version},
                  {"digest", keyed->digest}};
    j["key_id"] = keyed->key_id;
    j["envelopes"] = key_report_json(*keyed);
    j["reasons"] = reasons;
    std::printf("%s\n", j.dump(2).c_str());
    for (const auto& reason : reasons) std::fprintf(stderr, "chartprov: %s\n", reason.c_str());
    return verified ? kExitOk : kExitFailed;
  }
  if (!verified) {
    std::fprintf(stderr, "chartprov: verification FAILED for %s\n", std::filesystem::path(o.chart).filename().c_str());
    for (const auto& reason : reasons) std::fprintf(stderr, "  - %s\n", reason.c_str());
    return kExitFailed;
  }
  if (prov) print_human(*prov);
  for (const auto& e : keyed->envelopes) {
    if (e.ignored()) {
      std::printf("Not counted %s: %s (%s)\n", e.format.c_str(), e.file.c_str(), e.reason.c_str());
      continue;
    }
    std::printf("Verified %s: %s", e.format.c_str(), e.file.c_str());
    if (e.tlog_entries_verified > 0) std::printf(" (%d transparency log entries)", e.tlog_entries_verified);
    std::printf("\n");
  }
  std::printf("Key id: %s\n", keyed->key_id.c_str());
  std::printf("Chart: %s %s\nDigest: %s\n", keyed->chart_name.c_str(), keyed->chart_version.c_str(),
              keyed->digest.c_str());
  return kExitOk;
}

// verify --trust-dir: only the keys the trust root lists, in their scopes and windows.
int run_verify_trust(const VerifyOptions& o, app::DecisionEvent& ev) {
  if (!o.keyring.empty() || !o.key.empty()) {
    return report_error(usage_error("--trust-dir replaces --keyring and --key; give one of them"), o.json);
  }
  auto plain = app::verify_plain(plain_request(o));
  if (!plain.ok()) return report_error(plain.error(), o.json);
  const std::optional<app::TrustVerifyReport> r = std::move(plain->trusted);
  ev = {o.chart, r->chart_name, r->chart_version, r->digest, o.env, {}, r->verified, r->reasons};
  for (const auto& e : r->envelopes) {
    if (e.counts()) ev.signers.push_back(e.key_id);
  }
  if (o.json) {
    nlohmann::json envs = nlohmann::json::array();
    for (const auto& e : r->envelopes) {
      nlohmann::json j = {{"format", e.format}, {"file", e.file}, {"counted", e.counts()}};
      if (!e.key_id.empty()) j["key_id"] = e.key_id;
      if (!e.owner.empty()) j["owner"] = e.owner;
      if (!e.reason.empty()) j["reason"] = e.reason;
      envs.push_back(std::move(j));
    }
    const nlohmann::json j = {{"verified", r->verified},
                              {"trust_root_version", r->trust_version},
                              {"environment", o.env},
                              {"chart",
                               {{"file", std::filesystem::path(o.chart).filename().string()},
                                {"name", r->chart_name},
                                {"version", r->chart_version},
                                {"digest", r->digest}}},
                              {"envelopes", envs},
                              {"reasons", r->reasons}};
    std::printf("%s\n", j.dump(2).c_str());
  }
  if (!r->verified) {
    std::fprintf(stderr, "chartprov: verification FAILED for %s\n", std::filesystem::path(o.chart).filename().c_str());
    for (const auto& reason : r->reasons) std::fprintf(stderr, "  - %s\n", reason.c_str());
    return kExitFailed;
  }
  if (!o.json) {
    for (const auto& e : r->envelopes) {
      if (e.counts()) {
        std::printf("Verified %s: %s (key %s, %s)\n", e.format.c_str(), e.file.c_str(), e.key_id.substr(0, 16).c_str(),
                    e.owner.c_str());
      } else {
        std::printf("Not counted %s: %s (%s)\n", e.format.c_str(), e.file.c_str(), e.reason.c_str());
      }
    }
    std::printf("Trust root: version %lld\nChart: %s %s\nDigest: %s\n", static_cast<long long>(r->trust_version),
                r->chart_name.c_str(), r->chart_version.c_str(), r->digest.c_str());
  }
  return kExitOk;
}

// verify --env/--policy: the environment's policy decides (verify_decision.hpp).
int run_policy_verify(const VerifyOptions& o, bool no_environment = false) {
  DecisionVerifyOptions d;
  d.chart = o.chart;
  d.environment = o.env;
  d.policy = o.policy;
  d.trust = trust_source(o);
  d.registry = o.registry;
  d.output = o.output;
  d.json = o.json;
  d.no_environment = no_environment;
  d.sinks = o.sinks;
  if (!o.signature.empty() || !o.bundle.empty() || !o.prov.empty() || !o.signers.empty()) {
    return refuse_decision(d, usage_error("with --env/--policy every envelope beside the chart is judged by the "
                                          "policy: --signature, --bundle, --prov and --signer do not apply (the "
                                          "policy's signers: pins keys)"));
  }
  return run_verify_decision(d);
}

int decide_verify(const VerifyOptions& o, app::DecisionEvent& ev) {
  if (!o.trust_dir.empty() && !oci::is_oci_reference(o.chart)) return run_verify_trust(o, ev);
  if (!o.trust_dir.empty()) return report_error(usage_error("internal: oci:// with --trust-dir is a decision"), o.json);
  if (oci::is_oci_reference(o.chart)) {
    const OciVerifyOptions v{o.chart, o.registry, trust_source(o), o.output, o.signers, o.json};
    return run_verify_oci(v, &ev);
  }
  if (!o.registry.version.empty() || o.registry.plain_http || !o.output.empty()) {
    return report_error(usage_error("--version, --plain-http and --output are for oci:// references"), o.json);
  }
  if (!o.key.empty()) return run_verify_key(o, ev);
  if (o.keyring.empty())
    return report_error(usage_error("give --keyring (for the .prov) or --key (for cosign envelopes)"), o.json);
  if (!o.signature.empty() || !o.bundle.empty() || !o.trusted_root.empty()) {
    return report_error(usage_error("--signature, --bundle and --trusted-root need --key PUBLIC_KEY"), o.json);
  }
  auto plain = app::verify_plain(plain_request(o));
  if (!plain.ok()) return report_error(plain.error(), o.json);
  const std::optional<app::VerifyReport> result = std::move(plain->prov);
  ev = {o.chart, result->chart_name, result->chart_version, result->digest, "", {}, result->verified, result->reasons};
  if (const auto* s = result->signer()) ev.signers.push_back(s->fingerprint);
  if (o.json) {
    std::printf("%s\n", report_json(*result).dump(2).c_str());
    if (!result->verified) {
      for (const auto& reason : result->reasons) std::fprintf(stderr, "chartprov: %s\n", reason.c_str());
    }
  } else {
    print_human(*result);
  }
  return result->verified ? kExitOk : kExitFailed;
}

// Every decision goes to the audit log when one is given; an input error
// (no decision reached) is recorded as a deny with its reason.
int run_verify(VerifyOptions& o) {
  auto pinned = identity_requirement(o.identity);
  if (!pinned) return report_error(pinned.error(), o.json);
  o.pinned = std::move(*pinned);
  // oci:// under the trust root, and a keyless signer pinned on the command line, are judged by
  // decide(); with no environment, one trusted signer must count.
  const bool oci_trust = !o.trust_dir.empty() && oci::is_oci_reference(o.chart);
  const bool keyless = o.pinned.has_value();
  if (!o.env.empty() || !o.policy.empty() || oci_trust || keyless) {
    return run_policy_verify(o, (oci_trust || keyless) && o.env.empty() && o.policy.empty());  // records its decision
  }
  app::DecisionEvent ev;
  ev.chart = o.chart;
  ev.environment = o.env;
  int rc = decide_verify(o, ev);
  if (rc != kExitOk && ev.reasons.empty())
    ev.reasons.push_back("input or usage error (exit " + std::to_string(rc) + ")");
  ev.allowed = rc == kExitOk;
  return emit_and_report(app::decision_event(ev), o.sinks, rc);  // an unrecorded allow is not an allow
}

}  // namespace

Runner add_verify_command(CLI::App& app, const ArgvNames& argv) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand("verify", "Verify a chart: its .prov with a keyring, its cosign envelopes with a key");
  // Only the options named on the command line are built (cli/argv_names.hpp).
  OptionSieve s(cmd, argv);
  cmd->add_option("chart", o->chart, "chart archive (.tgz), or oci://HOST/REPO/NAME (with --version)")->required();
  s.option("--version", o->registry.version, "oci://: the chart version (the tag; '+' is stored as '_')");
  s.flag("--plain-http", o->registry.plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  s.option("--username", o->registry.username, "oci://: registry user (with --password-stdin)");
  s.flag("--password-stdin", o->registry.password_stdin, "oci://: read the registry password from stdin");
  s.option("--output", o->output, "oci://: save the verified chart here (only when verified)");
  s.option("--keyring", o->keyring,
           "OpenPGP public keys for the .prov: binary keyring (gpg --export), armored keys, pubring.kbx or a "
           "GnuPG home directory");
  s.option("--key", o->key,
           "public key (cosign.pub, PEM). Checks exactly the --signature/--bundle/--prov given; else every "
           "CHART.tgz.sig, .sigstore.json and (without --keyring) .prov beside the chart must verify with it, "
           "a .prov signed by another key being reported and not counted; at least one must verify");
  s.option("--signature", o->signature, "cosign sign-blob signature (base64 or DER); with --key");
  s.option("--bundle", o->bundle, "Sigstore bundle (.sigstore.json); with --key");
  s.option("--trust-dir", o->trust_dir,
           "a chartprov trust root directory (chartprov trust init): only the keys it lists, within their "
           "charts, environments and validity, count");
  s.option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  s.option_function<std::string>("--tlog-state", use_tlog_state_file, kTlogStateHelp);
  add_event_options(cmd, o->sinks, &argv);
  s.option("--env", o->env,
           "the environment the chart is deployed to: apply its policy (--policy, else the default: every "
           "environment enforces) to every envelope found");
  s.option("--policy", o->policy, "policy.yaml: modes and rules per environment (docs/POLICY.md)");
  s.option("--trusted-root", o->trusted_root,
           "Sigstore trusted_root.json: also verify the bundle's transparency-log entries and timestamps");
  s.option("--prov", o->prov, "provenance file (default: CHART.prov); with --key alone, checked with that key");
  s.option("--signer", o->signers, "only accept signatures by this key (full fingerprint; repeatable)");
  add_identity_options(s, o->identity);
  s.flag("--json", o->json, "print the result as one JSON object on stdout");
  s.flag("--no-cache", o->no_cache, "do not use the keyring cache");
  s.option("--key-history", o->key_history,
           "keys.json: a signature counts only if its key is listed, in its window and not revoked");
  return [o] { return run_verify(*o); };
}

}  // namespace chartprov::cli
