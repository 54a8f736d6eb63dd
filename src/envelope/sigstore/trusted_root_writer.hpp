#pragma once
// Writing a Sigstore trusted root (trusted_root.json) as protojson writes
// sigstore_trustroot.proto: media type ...trustedroot+json;version=0.1 (what
// `cosign trusted-root create` writes), fields in proto order with camelCase
// names, bytes as standard base64, times as RFC 3339 UTC, empty lists left
// out. parse_trusted_root (trusted_root.hpp) reads it back; sigstore-js and
// sigstore-go read it too.
//
// Transparency logs (tlogs: chartprov's own log, `chartprov log trusted-root`),
// certificate authorities and timestamp authorities are written; no CT log
// (a private CA, docs/KEY-MANAGEMENT.md "Signing with your own CA", has none).
#include <string>
#include <string_view>
#include <vector>

#include "envelope/sigstore/trusted_root.hpp"

namespace chartprov::sigstore {

inline constexpr std::string_view kTrustedRootMediaType01 = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

// The document, ending in a newline. Each authority's uri is written when
// not empty, validFor.end when set; the chains as given (a CA's issuing
// certificate first, a TSA's leaf first; the trust anchor last). Nothing is
// checked here: the caller checked the certificates.
std::string write_trusted_root(const std::vector<CertificateAuthority>& certificate_authorities,
                               const std::vector<TimestampAuthority>& timestamp_authorities);

// A transparency log as written: baseUrl, hashAlgorithm SHA2_256, publicKey
// {rawBytes (the DER SPKI), keyDetails, validFor}, logId.keyId.
struct WrittenLog {
  std::string base_url;
  std::string key_details;  // PKIX_ED25519 for chartprov's log
  Bytes spki;
  Bytes log_id;
  ValidFor valid;
};

// The document with `tlogs` first (proto order), then the authorities as
// above. Nothing is checked here: the caller made the log ids.
std::string write_trusted_root(const std::vector<WrittenLog>& tlogs,
                               const std::vector<CertificateAuthority>& certificate_authorities,
                               const std::vector<TimestampAuthority>& timestamp_authorities);

}  // namespace chartprov::sigstore
