#pragma once
// Sigstore bundles (tests/data/cosign/FORMAT.md D), read as strictly as
// cosign/sigstore-go read them: protojson rules (unknown fields refused,
// int64 as strings or numbers, bytes as standard or URL-safe base64, null =
// unset), media types v0.1-v0.3 only, exactly one content.
//
// parse_bundle refuses, each with its own message: more than kMaxBundle bytes;
// text that is not JSON or not an object; an unknown or repeated field; an
// unsupported media type; no verificationMaterial; not exactly one of
// publicKey, x509CertificateChain, certificate; an x509CertificateChain in a
// v0.3 bundle, one with no certificate ("x509CertificateChain holds no
// certificate": conformance bundle-empty-certificate-chain_fail, sigstore-python
// bundle_no_cert_v1) or more than kMaxCertificates; a certificate without
// rawBytes; more than kMaxTlogEntries tlog entries ("more than 32 tlog
// entries") or kMaxTimestamps timestamps ("more than 32 RFC 3161 timestamps":
// sigstore-python bundle.many_timestamp); a tlog entry without
// logId, kindVersion, canonicalizedBody, with a negative logIndex
// ("logIndex is negative": conformance bundle-negative-log-index_fail),
// integratedTime, inclusion-proof logIndex or treeSize, an inclusion proof
// without a checkpoint or with more than 64 hashes; a v0.2+ entry without an
// inclusion proof, a v0.1 entry without an inclusion promise; not exactly one
// of messageSignature, dsseEnvelope; an unknown digest algorithm; a DSSE
// envelope without exactly one signature; a bytes field that is not base64
// ("\"signature\" is not base64": conformance bundle-invalid-base64-signature_fail).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/sigstore/bundle_writer.hpp"  // the writer, for callers that include only this header
#include "envelope/sigstore/tlog_entry.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

inline constexpr std::size_t kMaxBundle = 8u << 20;
inline constexpr std::size_t kMaxCertificates = 16;  // in an x509CertificateChain
// As sigstore-go and sigstore-python (MAX_ALLOWED_TIMESTAMP) bound them.
inline constexpr std::size_t kMaxTlogEntries = 32;
inline constexpr std::size_t kMaxTimestamps = 32;

struct MessageSignature {
  std::string digest_algorithm;  // SHA2_256 | SHA2_384 | SHA2_512
  Bytes digest;
  Bytes signature;
};

struct DsseEnvelope {
  Bytes payload;
  std::string payload_type;
  Bytes signature;  // exactly one
  std::string keyid;
};

struct Bundle {
  std::string media_type;
  int minor_version = 0;  // 1, 2 or 3
  std::string hint;       // unauthenticated; never used for trust
  // DER certificates, leaf first: x509CertificateChain.certificates[].rawBytes
  // (v0.1, v0.2) or certificate.rawBytes (v0.3); none for a publicKey bundle.
  // Unauthenticated: what a certificate authority in the trusted root issued is
  // for the verifier to establish.
  std::vector<Bytes> certificates;
  bool has_certificate = false;  // derived: !certificates.empty()
  std::vector<TlogEntry> tlog_entries;
  std::vector<Bytes> rfc3161_timestamps;
  std::optional<MessageSignature> message;
  std::optional<DsseEnvelope> dsse;
};

Result<Bundle> parse_bundle(std::string_view text);

// One TransparencyLogEntry in protojson (what a log's write API answers and
// verificationMaterial.tlogEntries holds), read as parse_bundle reads each
// entry. Refusals (input errors): larger than kMaxTlogEntry; not a JSON
// object; the entry refusals of parse_bundle.
inline constexpr std::size_t kMaxTlogEntry = 256u << 10;
Result<TlogEntry> parse_tlog_entry(std::string_view text);

// Standard or URL-safe base64, padded or not, line ends skipped (what Go's protojson reads).
Result<Bytes> decode_proto_bytes(std::string_view text);

}  // namespace chartprov::sigstore
