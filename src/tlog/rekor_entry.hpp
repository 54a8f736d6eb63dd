#pragma once
// Transparency-log entries as a Sigstore bundle carries them: the signed
// entry timestamp (SET) of Rekor v1, and the canonicalized body, which must
// describe the very signature being verified (FORMAT.md F): Rekor v1 bodies
// (rekor_v1_body.hpp) and Rekor v2 bodies (rekor_v2_body.hpp), with a public
// key or a certificate as verifier.
#include <cstdint>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "tlog/expected_entry.hpp"  // ExpectedEntry, for callers that include only this header
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// The SET is the log's signature over the canonical JSON
// {"body":"<base64 body>","integratedTime":N,"logID":"<hex>","logIndex":N}.
bool verify_signed_entry_timestamp(const crypto::PKey& log_key, ByteView body, std::int64_t integrated_time,
                                   ByteView log_id, std::int64_t log_index, ByteView set);

// Whether the body (JSON) is of the bundle's kind/version and describes the
// expected signature, digest and key or certificate. kind/version: hashedrekord
// 0.0.1, dsse 0.0.1, intoto 0.0.2 (Rekor v1); hashedrekord 0.0.2, dsse 0.0.2
// (Rekor v2). Reads only its arguments. Refusals (verify errors): a body that
// is not a JSON object ("the log entry body is not JSON"); a kind or apiVersion
// other than the bundle's ("the log entry body's kind/version differ from the
// bundle's"); another kind ("log entries of kind K V are not supported"); and
// those of check_rekor_v1_body and check_rekor_v2_body.
Status check_entry_body(ByteView body, std::string_view kind, std::string_view version, const ExpectedEntry& expected);

}  // namespace chartprov::tlog
