#pragma once
// OpenPGP hash algorithm IDs (RFC 9580 §9.5) and the digests behind them.
#include <cstdint>
#include <optional>

#include "infra/openssl/digest.hpp"
#include "openpgp/signature.hpp"

namespace chartprov::openpgp {

// The digest for an OpenPGP hash ID, if it is one we can compute (MD5 and
// RIPEMD-160 included: they are known, but refused for signatures).
std::optional<crypto::DigestAlg> digest_alg(std::uint8_t hash_algo);

// Whether signatures made with this hash may be accepted at all.
bool hash_acceptable(std::uint8_t hash_algo);

}  // namespace chartprov::openpgp
