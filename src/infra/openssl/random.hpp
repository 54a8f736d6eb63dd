#pragma once
// Cryptographically secure random bytes (OpenSSL's DRBG, seeded by the OS).
#include <cstdint>
#include <span>

#include "util/result.hpp"

namespace chartprov::crypto {

Status random_fill(std::span<std::uint8_t> out);

}  // namespace chartprov::crypto
