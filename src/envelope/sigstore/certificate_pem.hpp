#pragma once
// X.509 certificates in PEM files, as cosign reads a --certificate or a
// --certificate-chain (sigstore/sigstore cryptoutils): one or more
// "CERTIFICATE" blocks, in the order the file gives them.
#include <cstddef>
#include <string_view>
#include <vector>

#include "infra/openssl/x509_certificate.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

// The most certificates one PEM file may hold (a chain of a leaf, a few
// intermediates and a root is far below).
inline constexpr std::size_t kMaxPemCertificates = 16;
// The largest PEM certificate file read (kMaxPemCertificates certificates of
// crypto::kMaxCertificate each would not fit; real chains are a few KiB).
inline constexpr std::size_t kMaxCertificateFile = 256u << 10;

// Every certificate of a PEM text, in order; text outside the blocks is
// skipped. Refusals (input errors): over kMaxCertificateFile ("certificate
// file larger than 256 KiB"); no PEM block, a broken block or more than
// kMaxPemCertificates blocks (cosign::read_pem_blocks' messages); a block
// labelled other than CERTIFICATE ("PEM block N is a LABEL, not a
// CERTIFICATE"); a block that is no certificate ("certificate N: " +
// Certificate::parse_der's message). N counts from 1.
Result<std::vector<crypto::Certificate>> read_pem_certificates(std::string_view text);

}  // namespace chartprov::sigstore
