#pragma once
// Signing with a certificate from the team's own CA (docs/KEY-MANAGEMENT.md,
// "Signing with your own CA"): the key signs as usual, and the Sigstore
// bundle carries the certificate instead of the key's hint. A v0.3 bundle
// carries the leaf alone; the verifier takes the CA certificates from its
// trusted root. A chain given at signing is only checked against, before
// anything is signed, as `cosign sign --certificate-chain` does.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct CertificateFiles {
  std::filesystem::path leaf;  // --certificate: the signing certificate, PEM
  std::optional<std::filesystem::path>
      chain;  // --certificate-chain: its CA certificates, intermediates first, root last
};

struct SigningCertificate {
  crypto::Certificate leaf;
  std::vector<crypto::Certificate> chain;  // empty when no chain was given
};

// Reads the files (PEM, envelope/sigstore/certificate_pem.hpp). Reads
// nothing else. Refusals (input errors, prefixed with the file's path):
// read_text_file's and read_pem_certificates'; a leaf file with more than one
// certificate ("holds N certificates: give the signing certificate alone to
// --certificate and its CA certificates to --certificate-chain").
Result<SigningCertificate> load_signing_certificate(const CertificateFiles& files);

// Whether `key` (the signer's public key) may sign with `certificate` at
// `now` (unix seconds). Every refusal is an input error, made before any
// signature: the certificate's key is another ("the certificate's public key
// is not the signing key (certificate key id K1, signing key id K2)"); the
// leaf not yet valid ("the signing certificate is not valid before <RFC 3339
// time>"); expired ("the signing certificate expired at <time>"); without
// the code-signing EKU ("the signing certificate is not for code signing (no
// codeSigning extended key usage)"); a chain that does not end with a
// self-signed root ("the certificate chain does not end with a root (a
// self-signed certificate): give the intermediates first, the root last"); the
// leaf not chaining to that root through the others at `now`
// (crypto::verify_certificate_chain's messages); a certificate key that
// cannot be read or named (Certificate::public_key's, spki_key_id's).
Status check_signing_certificate(const SigningCertificate& certificate, const crypto::PKey& key, std::int64_t now);

}  // namespace chartprov::app
