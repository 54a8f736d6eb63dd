#pragma once
// The rules a single OpenPGP signature of a .prov must pass beyond being
// mathematically valid: who made it, with what, and when.
#include <cstdint>
#include <string>
#include <vector>

#include "app/verify/signature_report.hpp"
#include "openpgp/keyring.hpp"
#include "openpgp/signature.hpp"

namespace chartprov::app {

inline constexpr unsigned kMinRsaBits = 2048;
inline constexpr unsigned kMinDsaBits = 2048;
// Signatures dated further in the future than this are refused.
inline constexpr std::int64_t kClockSkewSeconds = 300;

// True for hashes too weak to accept (MD5, SHA-1, RIPEMD-160).
bool is_weak_hash(std::uint8_t hash_algo);

// Checks one signature over signed_text against the keyring and the pins
// (upper-case hex fingerprints; empty = any key in the keyring).
SignatureReport evaluate_signature(const openpgp::Signature& sig, const openpgp::Keyring& keyring,
                                   std::string_view signed_text, std::int64_t now,
                                   const std::vector<std::string>& pinned);

}  // namespace chartprov::app
