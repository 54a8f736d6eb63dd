#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/verify.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

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
};

nlohmann::json signature_json(const app::SignatureReport& s) {
  nlohmann::json j = {{"status", s.status},       {"key_id", s.key_id},
                      {"fingerprint", s.fingerprint}, {"primary_fingerprint", s.primary_fingerprint},
                      {"user_ids", s.user_ids},   {"algorithm", s.key_algorithm},
                      {"hash", s.hash}};
  if (s.created) j["created"] = *s.created;
  if (!s.reason.empty()) j["reason"] = s.reason;
  return j;
}

nlohmann::json report_json(const app::VerifyReport& r) {
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& s : r.signatures) sigs.push_back(signature_json(s));
  nlohmann::json j = {{"verified", r.verified},
                      {"chart", {{"file", r.chart_file}, {"name", r.chart_name}, {"version", r.chart_version},
                                 {"digest", r.digest}}},
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

int run_verify(const VerifyOptions& o) {
  app::VerifyRequest req;
  req.chart = o.chart;
  if (!o.prov.empty()) req.prov = o.prov;
  req.keyring = o.keyring;
  req.pinned_signers = o.signers;
  req.use_keyring_cache = !o.no_cache;
  if (!o.key_history.empty()) req.key_history = o.key_history;
  const auto result = app::verify_chart(req);
  if (!result.ok()) return report_error(result.error(), o.json);
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

}  // namespace

Runner add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand("verify", "Verify a chart archive against its .prov and a keyring");
  cmd->add_option("chart", o->chart, "chart archive (.tgz); its provenance is CHART.prov")->required();
  cmd->add_option("--keyring", o->keyring,
                  "public keys: binary keyring (gpg --export), armored keys, pubring.kbx or a GnuPG home directory")
      ->required();
  cmd->add_option("--prov", o->prov, "provenance file (default: CHART.prov)");
  cmd->add_option("--signer", o->signers, "only accept signatures by this key (full fingerprint; repeatable)");
  cmd->add_flag("--json", o->json, "print the result as one JSON object on stdout");
  cmd->add_flag("--no-cache", o->no_cache, "do not use the keyring cache");
  cmd->add_option("--key-history", o->key_history,
                  "keys.json: a signature counts only if its key is listed, in its window and not revoked");
  return [o] { return run_verify(*o); };
}

}  // namespace chartprov::cli
