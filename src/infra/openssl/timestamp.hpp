#pragma once
// RFC 3161 timestamps (a TSA's signed statement that `data` existed at a
// time), verified with OpenSSL's TS API against a certificate chain.
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::crypto {

// response: DER TimeStampResp. chain: DER certificates, leaf first, the
// trust anchor last. The chain is checked as of the timestamp's own time.
// Returns that time (unix seconds). Errors say why it does not verify.
Result<std::int64_t> verify_rfc3161_timestamp(ByteView response, ByteView data, const std::vector<Bytes>& chain);

}  // namespace chartprov::crypto
