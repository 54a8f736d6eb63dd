#include "openpgp/curve.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace chartprov::openpgp {
namespace {

constexpr std::uint8_t kP256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
constexpr std::uint8_t kP384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
constexpr std::uint8_t kP521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
constexpr std::uint8_t kSecp256k1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
constexpr std::uint8_t kBrainpool256[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07};
constexpr std::uint8_t kBrainpool384[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0b};
constexpr std::uint8_t kBrainpool512[] = {0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0d};
constexpr std::uint8_t kEd25519Legacy[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01};
constexpr std::uint8_t kCurve25519Legacy[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01};
constexpr std::uint8_t kEd448[] = {0x2b, 0x65, 0x71};
constexpr std::uint8_t kX448[] = {0x2b, 0x65, 0x6f};

constexpr std::array<Curve, 11> kCurves = {{
    {kP256, "prime256v1", "P256", 256},
    {kP384, "secp384r1", "P384", 384},
    {kP521, "secp521r1", "P521", 521},
    {kBrainpool256, "brainpoolP256r1", "brainpoolP256r1", 256},
    {kBrainpool384, "brainpoolP384r1", "brainpoolP384r1", 384},
    {kBrainpool512, "brainpoolP512r1", "brainpoolP512r1", 512},
    {kSecp256k1, "secp256k1", "secp256k1", 256},
    {kEd25519Legacy, "ED25519", "Ed25519", 255},
    {kCurve25519Legacy, "X25519", "Curve25519", 255},
    {kEd448, "ED448", "Ed448", 448},
    {kX448, "X448", "X448", 448},
}};

}  // namespace

const Curve* curve_by_oid(ByteView oid) {
  for (const Curve& c : kCurves) {
    if (std::equal(c.oid.begin(), c.oid.end(), oid.begin(), oid.end())) return &c;
  }
  return nullptr;
}

const Curve* curve_by_openssl_name(std::string_view name) {
  for (const Curve& c : kCurves) {
    if (c.openssl == name) return &c;
  }
  return nullptr;
}

}  // namespace chartprov::openpgp
