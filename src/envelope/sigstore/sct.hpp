#pragma once
// Signed certificate timestamps embedded in a certificate (RFC 6962 3.3): a CT
// log's promise that it logged the certificate's precertificate. Pure parsing
// and the bytes a log signs; the signature check is sct_signature.hpp.
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

// At most this many SCTs in one list (Fulcio embeds one; browsers ask for 2-3).
inline constexpr std::size_t kMaxScts = 64;
// The largest extension value read; a certificate is at most 64 KiB anyway.
inline constexpr std::size_t kMaxSctListExtension = 64u << 10;

struct Sct {
  std::uint8_t version = 0;  // 0: v1, the only version read
  Bytes log_id;              // 32 bytes: SHA-256 of the log's DER SPKI
  std::uint64_t timestamp_ms = 0;
  Bytes extensions;                        // CtExtensions, opaque (static CT logs put the leaf index here)
  std::uint8_t hash_alg = 0, sig_alg = 0;  // TLS HashAlgorithm (4: sha256), SignatureAlgorithm (1: rsa, 3: ecdsa)
  Bytes signature;
};

// The SCTs of the embedded SCT list extension (1.3.6.1.4.1.11129.2.4.2), given
// its extnValue contents: a DER OCTET STRING around the TLS-encoded
// SignedCertificateTimestampList (uint16 length, then uint16-length-prefixed
// SCTs). Refusals (input errors): more than kMaxSctListExtension bytes ("SCT
// list extension larger than 64 KiB"); not one DER OCTET STRING (der_value's
// refusals, prefixed "SCT list: "); a list length that is missing or differs
// from the bytes that follow ("SCT list length does not match its contents");
// no SCT ("empty SCT list"); more than kMaxScts ("more than 64 SCTs"); an SCT
// of length 0 or longer than what is left ("truncated SCT"); a version other
// than v1 ("SCT version N is not v1"); fields that run past the SCT's length
// ("truncated SCT"); bytes after its signature ("trailing bytes in an SCT").
Result<std::vector<Sct>> parse_sct_list(ByteView extension_value);

// The bytes a log signs for a precert_entry SCT (RFC 6962 3.2,
// digitally-signed struct): sct_version, signature_type 0
// (certificate_timestamp), timestamp, entry_type 1 (precert_entry),
// issuer_key_hash (the SHA-256 of the issuing CA's DER SPKI, 32 bytes), the
// TBSCertificate without the SCT list (uint24 length), the SCT's extensions
// (uint16 length). A TBSCertificate of 2^24 bytes or more, or extensions of
// 2^16 or more, cannot be encoded: the result is then empty.
Bytes sct_signed_data(const Sct& sct, ByteView issuer_key_hash, ByteView precert_tbs);

}  // namespace chartprov::sigstore
