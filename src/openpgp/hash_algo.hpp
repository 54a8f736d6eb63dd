#pragma once
// OpenPGP hash algorithm IDs (RFC 9580 §9.5) and the digests behind them.
#include <cstdint>
#include <optional>
#include <string>

#include "infra/openssl/digest.hpp"

namespace chartprov::openpgp {

enum class HashAlgo : std::uint8_t {
  kMd5 = 1,
  kSha1 = 2,
  kRipemd160 = 3,
  kSha256 = 8,
  kSha384 = 9,
  kSha512 = 10,
  kSha224 = 11,
  kSha3_256 = 12,
  kSha3_512 = 14,
};

// The name used in a cleartext "Hash:" armor header ("SHA512"), or "" if unknown.
std::string hash_header_name(std::uint8_t hash_algo);

// The digest for an OpenPGP hash ID, if it is one we can compute (MD5 and
// RIPEMD-160 included: they are known, but refused for signatures).
std::optional<crypto::DigestAlg> digest_alg(std::uint8_t hash_algo);

// Whether signatures made with this hash may be accepted at all.
bool hash_acceptable(std::uint8_t hash_algo);

}  // namespace chartprov::openpgp
