#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/verify/verify_blob.hpp"
#include "cli/commands.hpp"
#include "cli/identity_options.hpp"
#include "cli/output.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::cli {
namespace {

struct BlobOptions {
  std::string artifact, bundle, key, trusted_root;
  IdentityOptions identity;
  bool json = false;
};

nlohmann::json report_json(const app::BlobVerifyReport& r) {
  const auto& c = r.check;
  nlohmann::json j = {{"verified", r.verified},
                      {"content", c.content},
                      {"tlog_entries_verified", c.tlog_entries_verified},
                      {"timestamps_verified", c.timestamps_verified}};
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (!r.artifact_sha256.empty()) j["artifact_sha256"] = r.artifact_sha256;
  if (c.signed_at) j["signed_at"] = format_rfc3339(*c.signed_at);
  if (c.identity) {
    nlohmann::json claims = nlohmann::json::object();
    for (const auto& [k, v] : c.identity->claims) claims[k] = v;
    j["certificate"] = {{"identity", c.identity->subject},
                        {"issuer", c.identity->issuer},
                        {"claims", claims},
                        {"authority", c.certificate_authority},
                        {"scts_verified", c.scts_verified}};
  }
  if (c.statement) {
    nlohmann::json subjects = nlohmann::json::array();
    for (const auto& s : c.statement->subjects) {
      nlohmann::json d = nlohmann::json::object();
      for (const auto& [alg, hex] : s.digests) d[alg] = hex;
      subjects.push_back({{"name", s.name}, {"digest", d}});
    }
    j["statement"] = {{"predicate_type", c.statement->predicate_type}, {"subjects", subjects}};
  }
  return j;
}

void print_human(const app::BlobVerifyReport& r) {
  const auto& c = r.check;
  std::printf("Verified OK: %s bundle", c.content.c_str());
  if (c.tlog_entries_verified > 0) std::printf(", %d transparency log entries", c.tlog_entries_verified);
  if (c.timestamps_verified > 0) std::printf(", %d timestamps", c.timestamps_verified);
  std::printf("\n");
  if (c.identity) {
    std::printf("Identity: %s\nIssuer: %s\nCertificate authority: %s\n", c.identity->subject.c_str(),
                c.identity->issuer.c_str(), c.certificate_authority.c_str());
  }
  if (c.signed_at) std::printf("Signed at: %s\n", format_rfc3339(*c.signed_at).c_str());
  if (c.statement) {
    std::printf("Predicate: %s\n", c.statement->predicate_type.c_str());
    for (const auto& s : c.statement->subjects) {
      for (const auto& [alg, hex] : s.digests)
        std::printf("Subject: %s %s:%s\n", s.name.c_str(), alg.c_str(), hex.c_str());
    }
  }
}

int run_verify_blob(const BlobOptions& o) {
  auto identity = identity_requirement(o.identity);
  if (!identity) return report_error(identity.error(), o.json);
  app::BlobVerifyRequest req;
  if (!o.artifact.empty()) req.artifact = o.artifact;
  req.bundle = o.bundle;
  if (!o.key.empty()) req.key = o.key;
  if (!o.trusted_root.empty()) req.trusted_root = o.trusted_root;
  req.identity = std::move(*identity);
  auto r = app::verify_blob(req);
  if (!r) return report_error(r.error(), o.json);
  if (o.json) std::printf("%s\n", report_json(*r).dump(2).c_str());
  if (!r->verified) {
    std::fprintf(stderr, "chartprov: verification FAILED: %s\n", r->reason.c_str());
    return kExitFailed;
  }
  if (!o.json) print_human(*r);
  return kExitOk;
}

}  // namespace

Runner add_verify_blob_command(CLI::App& app) {
  auto o = std::make_shared<BlobOptions>();
  auto* cmd = app.add_subcommand(
      "verify-blob", "Verify a Sigstore bundle over any file: by key, or by certificate and identity (keyless)");
  cmd->add_option("file", o->artifact, "the file signed (omit for a DSSE bundle: its subjects are reported)");
  cmd->add_option("--bundle", o->bundle, "Sigstore bundle (.sigstore.json)")->required();
  cmd->add_option("--key", o->key, "public key (PEM) of a key-based bundle");
  cmd->add_option("--trusted-root", o->trusted_root,
                  "Sigstore trusted_root.json: CAs, CT logs, transparency logs and timestamp authorities");
  static const ArgvNames kAll = ArgvNames::all();  // the sieve keeps a reference: not a temporary
  OptionSieve sieve(cmd, kAll);
  add_identity_options(sieve, o->identity);
  cmd->add_flag("--json", o->json, "print the result as one JSON object on stdout");
  return [o] { return run_verify_blob(*o); };
}

}  // namespace chartprov::cli
