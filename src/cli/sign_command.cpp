#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/sign.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/oci_commands.hpp"
#include "cli/sign_external_command.hpp"
#include "oci/reference.hpp"
#include "cli/signer_options.hpp"

namespace chartprov::cli {
namespace {

struct SignCommandOptions {
  std::string chart;
  SignerOptions signer;
  ExternalSignOptions external;
  RegistryOptions registry;
};

int run_sign(const SignCommandOptions& o) {
  if (oci::is_oci_reference(o.chart)) {
    if (is_gnupg_key(o.signer)) return report_error(usage_error("sign oci:// needs --key (a key file, cosign.key, pkcs11: or exec:)"));
    return run_sign_oci(o.chart, o.registry, o.signer.key, o.signer.passphrase_file);
  }
  if (!is_gnupg_key(o.signer)) return run_sign_external(o.chart, o.signer, o.external);
  // GnuPG keyrings and homes: helm's way, a .prov only.
  if (!o.external.key_history.empty()) {
    return report_error(usage_error("--key-history works with key files, pkcs11: and exec: keys, not GnuPG keyrings"));
  }
  if (!o.external.formats.empty() && o.external.formats != "prov") {
    return report_error(usage_error("a GnuPG key signs the .prov only (--format prov); cosign-blob and "
                                    "sigstore-bundle need a key file, pkcs11: or exec: key"));
  }
  if (o.signer.key.empty()) return report_error(usage_error("--key is required"));
  auto req = make_sign_request(o.signer);
  if (!req.ok()) return report_error(req.error());
  req->chart = o.chart;
  const auto result = app::sign_chart(*req);
  if (!result.ok()) return report_error(result.error());
  std::printf("Signed %s %s (%s)\n", result->chart_name.c_str(), result->chart_version.c_str(),
              result->digest.c_str());
  for (const auto& uid : result->user_ids) std::printf("Signed by: %s\n", uid.c_str());
  std::printf("Fingerprint: %s\n", result->fingerprint.c_str());
  std::printf("Provenance: %s\n", result->prov.c_str());
  return kExitOk;
}

}  // namespace

Runner add_sign_command(CLI::App& app) {
  auto o = std::make_shared<SignCommandOptions>();
  auto* cmd = app.add_subcommand("sign", "Sign a chart archive: CHART.tgz.prov (Helm), .sig (cosign), .sigstore.json");
  cmd->add_option("chart", o->chart, "chart archive NAME-VERSION.tgz, or oci://HOST/REPO/NAME:VERSION (a cosign signature)")
      ->required();
  cmd->add_option("--version", o->registry.version, "oci://: the chart version, if not in the reference");
  cmd->add_flag("--plain-http", o->registry.plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  cmd->add_option("--username", o->registry.username, "oci://: registry user (with --password-stdin)");
  cmd->add_flag("--password-stdin", o->registry.password_stdin, "oci://: read the registry password from stdin");
  add_signer_options(*cmd, o->signer);
  cmd->add_option("--format", o->external.formats,
                  "envelopes to write, comma-separated: prov, cosign-blob, sigstore-bundle (default prov,cosign-blob; "
                  "GnuPG keys: prov)");
  cmd->add_option("--created", o->external.created,
                  "HSM/exec keys: the OpenPGP creation time used at `key export --openpgp` (RFC 3339 or unix)");
  cmd->add_option("--key-history", o->external.key_history,
                  "keys.json: the key must be active and allowed to sign this chart");
  return [o] { return run_sign(*o); };
}

}  // namespace chartprov::cli
