#include "cli/sign_external_command.hpp"

#include <cstdio>

#include "app/sign/sign_envelopes.hpp"
#include "app/sign/sign_external.hpp"
#include "cli/output.hpp"
#include "cli/passphrase.hpp"
#include "infra/openssl/spki.hpp"
#include "keys/key_history.hpp"
#include "util/file.hpp"

namespace chartprov::cli {

bool is_gnupg_key(const SignerOptions& o) { return !o.keyring.empty() || !o.gnupg_home.empty(); }

Result<std::uint32_t> parse_created(const std::string& text) {
  if (text.empty()) return std::uint32_t{0};
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 10) {
    const unsigned long long v = std::stoull(text);
    if (v == 0 || v > 0xffffffffull) return usage_error("--created out of range");
    return static_cast<std::uint32_t>(v);
  }
  auto t = keys::parse_rfc3339(text);
  if (!t) return usage_error("--created: " + t.error().message);
  if (*t <= 0 || *t > 0xffffffffll) return usage_error("--created out of range");
  return static_cast<std::uint32_t>(*t);
}

Result<SecretString> obtain_secret(app::SecretKind kind, const std::string& prompt, const std::string& file) {
  PassphraseSource source;
  if (!file.empty()) source.file = file;
  // A PIN never falls back to the key-file passphrase variable (and vice versa).
  source.env_names = kind == app::SecretKind::kPin ? std::vector<std::string>{"CHARTPROV_PKCS11_PIN"}
                                                   : std::vector<std::string>{"CHARTPROV_PASSWORD"};
  source.prompt = prompt;
  return obtain_passphrase(source);
}

int run_sign_external(const std::string& chart, const SignerOptions& signer, const ExternalSignOptions& o,
                      app::Event* event) {
  const auto fail = [event](const Error& e) {
    if (event != nullptr) event->reasons.push_back(e.message);
    return report_error(e);
  };
  auto created = parse_created(o.created);
  if (!created) return fail(created.error());
  if (!o.certificate_chain.empty() && o.certificate.empty()) {
    return fail(usage_error("--certificate-chain needs --certificate"));
  }
  if (!o.log_key.empty() && o.log_url.empty()) return fail(usage_error("--log-key needs --log URL"));
  std::optional<app::LogTarget> log;
  if (!o.log_url.empty()) {
    log = app::LogTarget{o.log_url, std::nullopt};
    if (!o.log_key.empty()) {
      auto pem = read_text_file(o.log_key, 64u << 10);
      if (!pem) return fail(pem.error());
      auto key = crypto::parse_public_key_pem(*pem);
      if (!key) return fail(key.error().with_context(o.log_key));
      log->key = std::move(*key);
    }
  }
  std::optional<app::SigningCertificate> certificate;
  if (!o.certificate.empty()) {
    app::CertificateFiles files{o.certificate, std::nullopt};
    if (!o.certificate_chain.empty()) files.chain = o.certificate_chain;
    auto loaded = app::load_signing_certificate(files);
    if (!loaded) return fail(loaded.error());
    certificate = std::move(*loaded);
  }
  const auto secret = [&signer](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, signer.passphrase_file);
  };
  auto opened = app::open_signer(signer.key, secret);
  if (!opened) return fail(opened.error());
  auto formats = app::parse_envelope_formats(o.formats.empty() ? app::kDefaultEnvelopeFormats : o.formats);
  if (!formats) return fail(formats.error());
  app::EnvelopeSignRequest req;
  req.chart = chart;
  req.signer = &*opened;
  req.formats = *formats;
  req.openpgp_created = *created;
  req.certificate = std::move(certificate);
  req.log = std::move(log);
  if (!o.key_history.empty()) req.key_history = o.key_history;
  const auto result = app::sign_envelopes(req);
  if (!result) return fail(result.error());
  const auto& c = result->chart;
  if (event != nullptr) {
    event->name = c.chart_name;
    event->version = c.chart_version;
    event->digest = c.digest;
    event->signers = {result->key_id};
  }
  std::printf("Signed %s %s (%s)\n", c.chart_name.c_str(), c.chart_version.c_str(), c.digest.c_str());
  std::printf("Signer: %s\n", opened->signer->describe().c_str());
  std::printf("Key id: %s\n", result->key_id.c_str());
  if (req.certificate) {
    const crypto::Certificate& leaf = req.certificate->leaf;
    std::printf("Certificate: %s\n", leaf.subject_text().c_str());
    for (const auto& uri : leaf.san_uris()) std::printf("Certificate SAN: %s\n", uri.c_str());
    for (const auto& email : leaf.san_emails()) std::printf("Certificate SAN: %s\n", email.c_str());
  }
  for (const auto& uid : c.user_ids) std::printf("Signed by: %s\n", uid.c_str());
  if (!c.fingerprint.empty()) std::printf("Fingerprint: %s\n", c.fingerprint.c_str());
  if (req.log) std::printf("Logged in: %s\n", req.log->url.c_str());
  for (const auto& p : result->written) std::printf("Wrote: %s\n", p.c_str());
  return kExitOk;
}

}  // namespace chartprov::cli
