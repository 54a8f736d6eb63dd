#include "app/sign/signing_certificate.hpp"

#include <string>

#include "envelope/sigstore/certificate_pem.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

Result<std::vector<crypto::Certificate>> read_certificates(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, sigstore::kMaxCertificateFile));
  auto certs = sigstore::read_pem_certificates(text);
  if (!certs) return certs.error().with_context(path.string());
  return certs;
}

}  // namespace

Result<SigningCertificate> load_signing_certificate(const CertificateFiles& files) {
  TRY(auto leaf, read_certificates(files.leaf));
  if (leaf.size() != 1) {
    return input_error(files.leaf.string() + ": holds " + std::to_string(leaf.size()) +
                       " certificates: give the signing certificate alone to --certificate and its CA certificates "
                       "to --certificate-chain");
  }
  SigningCertificate out{std::move(leaf.front()), {}};
  if (files.chain) {
    TRY(out.chain, read_certificates(*files.chain));
  }
  return out;
}

Status check_signing_certificate(const SigningCertificate& certificate, const crypto::PKey& key, std::int64_t now) {
  const crypto::Certificate& leaf = certificate.leaf;
  TRY(const crypto::PKey certificate_key, leaf.public_key());
  TRY(const std::string certificate_id, crypto::spki_key_id(certificate_key));
  TRY(const std::string signing_id, crypto::spki_key_id(key));
  if (certificate_id != signing_id) {
    return input_error("the certificate's public key is not the signing key (certificate key id " + certificate_id +
                       ", signing key id " + signing_id + ")");
  }
  if (now < leaf.not_before()) {
    return input_error("the signing certificate is not valid before " + format_rfc3339(leaf.not_before()));
  }
  if (now > leaf.not_after())
    return input_error("the signing certificate expired at " + format_rfc3339(leaf.not_after()));
  if (!leaf.has_code_signing_eku()) {
    return input_error("the signing certificate is not for code signing (no codeSigning extended key usage)");
  }
  if (!certificate.chain.empty()) {
    const crypto::Certificate& root = certificate.chain.back();
    if (!root.issued(root)) {
      return input_error(
          "the certificate chain does not end with a root (a self-signed certificate): give the intermediates first, "
          "the root last");
    }
    const Status chained = crypto::verify_certificate_chain(leaf, certificate.chain, now, true);
    if (!chained.ok()) return input_error(chained.error().message);
  }
  return ok_status();
}

}  // namespace chartprov::app
