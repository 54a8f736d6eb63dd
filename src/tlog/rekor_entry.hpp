#pragma once
// Rekor v1 entries as a Sigstore bundle carries them: the signed entry
// timestamp (SET) and the canonicalized body, which must describe the very
// signature being verified (FORMAT.md F).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// The SET is the log's signature over the canonical JSON
// {"body":"<base64 body>","integratedTime":N,"logID":"<hex>","logIndex":N}.
bool verify_signed_entry_timestamp(const crypto::PKey& log_key, ByteView body, std::int64_t integrated_time,
                                   ByteView log_id, std::int64_t log_index, ByteView set);

// What the body must say about the signature being verified.
struct ExpectedEntry {
  Bytes signature;                                // the bundle's signature bytes
  std::optional<std::string> sha256_hex;          // message signatures: the artifact's digest
  std::optional<std::string> payload_sha256_hex;  // DSSE: SHA-256 of the payload
  std::optional<Bytes> spki;                      // when the body carries the public key, it must be this one
};

// kind/version: hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2. Errors name
// the mismatch; unknown kinds are refused.
Status check_entry_body(ByteView body, std::string_view kind, std::string_view version, const ExpectedEntry& expected);

}  // namespace chartprov::tlog
