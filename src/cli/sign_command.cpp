#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/sign/sign.hpp"
#include "cli/commands.hpp"
#include "cli/event_options.hpp"
#include "cli/oci_commands.hpp"
#include "cli/output.hpp"
#include "cli/sign_external_command.hpp"
#include "cli/signer_options.hpp"
#include "oci/reference.hpp"

namespace chartprov::cli {
namespace {

struct SignCommandOptions {
  std::string chart;
  SignerOptions signer;
  ExternalSignOptions external;
  RegistryOptions registry;
  std::string oci_signature;
  app::EventSinks events;
};

int sign_any(const SignCommandOptions& o, app::Event& event) {
  const auto fail = [&event](const Error& e) {
    event.reasons.push_back(e.message);
    return report_error(e);
  };
  const bool certificate = !o.external.certificate.empty() || !o.external.certificate_chain.empty();
  if (certificate && (oci::is_oci_reference(o.chart) || is_gnupg_key(o.signer))) {
    return fail(
        usage_error("--certificate signs a chart archive's Sigstore bundle with a key file, pkcs11: or exec: key"));
  }
  if (oci::is_oci_reference(o.chart) && !o.external.log_url.empty()) {
    return fail(usage_error("--log signs a chart archive (CHART.tgz), not oci://"));
  }
  if (oci::is_oci_reference(o.chart)) {
    if (is_gnupg_key(o.signer))
      return fail(usage_error("sign oci:// needs --key (a key file, cosign.key, pkcs11: or exec:)"));
    return run_sign_oci(o.chart, o.registry, o.signer.key, o.signer.passphrase_file,
                        o.oci_signature.empty() ? "referrer" : o.oci_signature, &event);
  }
  if (!o.oci_signature.empty()) return fail(usage_error("--oci-signature is for sign oci://"));
  if (!is_gnupg_key(o.signer)) return run_sign_external(o.chart, o.signer, o.external, &event);
  // GnuPG keyrings and homes: helm's way, a .prov only.
  if (!o.external.log_url.empty()) {
    return fail(usage_error("--log works with key files, pkcs11: and exec: keys, not GnuPG keyrings"));
  }
  if (!o.external.key_history.empty()) {
    return fail(usage_error("--key-history works with key files, pkcs11: and exec: keys, not GnuPG keyrings"));
  }
  if (!o.external.formats.empty() && o.external.formats != "prov") {
    return fail(
        usage_error("a GnuPG key signs the .prov only (--format prov); cosign-blob and "
                    "sigstore-bundle need a key file, pkcs11: or exec: key"));
  }
  if (o.signer.key.empty()) return fail(usage_error("--key is required"));
  auto req = make_sign_request(o.signer);
  if (!req.ok()) return fail(req.error());
  req->chart = o.chart;
  const auto result = app::sign_chart(*req);
  if (!result.ok()) return fail(result.error());
  event.name = result->chart_name;
  event.version = result->chart_version;
  event.digest = result->digest;
  event.signers = {result->fingerprint};
  std::printf("Signed %s %s (%s)\n", result->chart_name.c_str(), result->chart_version.c_str(), result->digest.c_str());
  for (const auto& uid : result->user_ids) std::printf("Signed by: %s\n", uid.c_str());
  std::printf("Fingerprint: %s\n", result->fingerprint.c_str());
  std::printf("Provenance: %s\n", result->prov.c_str());
  return kExitOk;
}

// Every sign, failed ones included, is an event (kind sign, decision signed or
// failed) for the sinks given; an unrecorded sign fails.
int run_sign(const SignCommandOptions& o) {
  app::Event event;
  event.kind = "sign";
  event.chart = o.chart;
  const int rc = sign_any(o, event);
  event.decision = rc == kExitOk ? "signed" : "failed";
  if (rc != kExitOk && event.reasons.empty()) event.reasons.push_back("sign failed (exit " + std::to_string(rc) + ")");
  return emit_and_report(event, o.events, rc);
}

}  // namespace

Runner add_sign_command(CLI::App& app) {
  auto o = std::make_shared<SignCommandOptions>();
  auto* cmd = app.add_subcommand("sign", "Sign a chart archive: CHART.tgz.prov (Helm), .sig (cosign), .sigstore.json");
  cmd->add_option("chart", o->chart,
                  "chart archive NAME-VERSION.tgz, or oci://HOST/REPO/NAME:VERSION (a cosign signature)")
      ->required();
  cmd->add_option("--version", o->registry.version, "oci://: the chart version, if not in the reference");
  cmd->add_flag("--plain-http", o->registry.plain_http, "oci://: talk HTTP, not HTTPS (loopback registries)");
  cmd->add_option("--username", o->registry.username, "oci://: registry user (with --password-stdin)");
  cmd->add_flag("--password-stdin", o->registry.password_stdin, "oci://: read the registry password from stdin");
  cmd->add_option("--oci-signature", o->oci_signature,
                  "oci://: referrer (cosign v3: a Sigstore bundle as an OCI 1.1 referrer, the default), legacy "
                  "(cosign v2: the sha256-<hex>.sig tag) or both");
  add_signer_options(*cmd, o->signer);
  cmd->add_option("--format", o->external.formats,
                  "envelopes to write, comma-separated: prov, cosign-blob, sigstore-bundle (default prov,cosign-blob; "
                  "GnuPG keys: prov)");
  cmd->add_option("--created", o->external.created,
                  "HSM/exec keys: the OpenPGP creation time used at `key export --openpgp` (RFC 3339 or unix)");
  cmd->add_option("--certificate", o->external.certificate,
                  "sigstore-bundle: the signing certificate (PEM) of --key from your own CA; the bundle carries it");
  cmd->add_option("--certificate-chain", o->external.certificate_chain,
                  "with --certificate: its CA certificates (PEM, intermediates first, root last), checked before "
                  "signing (verifiers take them from their trusted root)");
  cmd->add_option("--log", o->external.log_url,
                  "submit the prov and sigstore-bundle signatures to chartprov's transparency log at this URL "
                  "(chartprov log serve): the bundle carries the checked entry, a .prov gets CHART.tgz.prov.tlog.json");
  cmd->add_option("--log-key", o->external.log_key,
                  "with --log: the log's public key (PEM); the answered checkpoint must be signed by it");
  cmd->add_option("--key-history", o->external.key_history,
                  "keys.json: the key must be active and allowed to sign this chart");
  add_event_options(cmd, o->events);
  return [o] { return run_sign(*o); };
}

}  // namespace chartprov::cli
