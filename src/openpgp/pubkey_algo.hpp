#pragma once
// OpenPGP public-key algorithm IDs (RFC 9580 §9.1), those chartprov names
// (others are handled by number). Both a key packet (key.hpp) and its
// algorithm-specific fields (key_material.hpp) are read by them.
#include <cstdint>

namespace chartprov::openpgp {

enum class PubKeyAlgo : std::uint8_t {
  kRsa = 1,
  kRsaSignOnly = 3,
  kDsa = 17,
  kEcdh = 18,
  kEcdsa = 19,
  kEddsaLegacy = 22,
  kEd25519 = 27,
  kEd448 = 28,
};

}  // namespace chartprov::openpgp
