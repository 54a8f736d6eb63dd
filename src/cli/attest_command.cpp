// chartprov attest CHART.tgz --predicate FILE [--type URI] --key KEY: a
// build-provenance attestation beside the chart (app/sign/attest.hpp).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/sign/attest.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/sign_external_command.hpp"
#include "cli/signer_options.hpp"

namespace chartprov::cli {
namespace {

struct AttestCommandOptions {
  std::string chart;
  std::string predicate;
  std::string type = std::string(sigstore::kSlsaProvenanceV1);
  std::string key_history;
  std::string certificate, certificate_chain;
  bool force = false;
  SignerOptions signer;
};

int run_attest(const AttestCommandOptions& o) {
  if (is_gnupg_key(o.signer)) {
    return report_error(usage_error("attest needs --key (a key file, cosign.key, pkcs11: or exec:), not a GnuPG key"));
  }
  if (o.signer.key.empty()) return report_error(usage_error("--key is required"));
  if (!o.certificate_chain.empty() && o.certificate.empty()) {
    return report_error(usage_error("--certificate-chain needs --certificate"));
  }
  std::optional<app::SigningCertificate> certificate;
  if (!o.certificate.empty()) {
    app::CertificateFiles files{o.certificate, std::nullopt};
    if (!o.certificate_chain.empty()) files.chain = o.certificate_chain;
    auto loaded = app::load_signing_certificate(files);
    if (!loaded) return report_error(loaded.error());
    certificate = std::move(*loaded);
  }
  const auto secret = [&o](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, o.signer.passphrase_file);
  };
  auto opened = app::open_signer(o.signer.key, secret);
  if (!opened) return report_error(opened.error());
  app::AttestRequest req;
  req.chart = o.chart;
  req.signer = &*opened;
  req.predicate = o.predicate;
  req.predicate_type = o.type;
  req.force = o.force;
  req.certificate = std::move(certificate);
  if (!o.key_history.empty()) req.key_history = o.key_history;
  const auto result = app::attest_chart(req);
  if (!result) return report_error(result.error());
  std::printf("Attested %s %s (%s)\n", result->chart_name.c_str(), result->chart_version.c_str(),
              result->digest.c_str());
  std::printf("Predicate type: %s\n", result->predicate_type.c_str());
  std::printf("Signer: %s\n", opened->signer->describe().c_str());
  std::printf("Key id: %s\n", result->key_id.c_str());
  if (req.certificate) std::printf("Certificate: %s\n", req.certificate->leaf.subject_text().c_str());
  std::printf("Wrote: %s\n", result->written.c_str());
  return kExitOk;
}

}  // namespace

Runner add_attest_command(CLI::App& app) {
  auto o = std::make_shared<AttestCommandOptions>();
  auto* cmd = app.add_subcommand(
      "attest", "Attest how a chart archive was built: CHART.tgz.attestation.sigstore.json (in-toto, DSSE)");
  cmd->add_option("chart", o->chart, "chart archive NAME-VERSION.tgz")->required();
  cmd->add_option("--predicate", o->predicate, "the predicate: a JSON object (SLSA provenance v1 by default)")
      ->required();
  cmd->add_option("--type", o->type, "the predicate type, a URI (default https://slsa.dev/provenance/v1)");
  add_signer_options(*cmd, o->signer);
  cmd->add_option("--key-history", o->key_history, "keys.json: the key must be active and allowed to sign this chart");
  cmd->add_option("--certificate", o->certificate,
                  "the signing certificate (PEM) of --key from your own CA; the bundle carries it");
  cmd->add_option("--certificate-chain", o->certificate_chain,
                  "with --certificate: its CA certificates (PEM, intermediates first, root last), checked before "
                  "signing");
  cmd->add_flag("--force", o->force, "overwrite an existing attestation");
  return [o] { return run_attest(*o); };
}

}  // namespace chartprov::cli
