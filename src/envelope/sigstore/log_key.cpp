#include "envelope/sigstore/log_key.hpp"

#include <array>
#include <string>

#include "infra/openssl/spki.hpp"

namespace chartprov::sigstore {
namespace {

struct Details {
  std::string_view name;
  crypto::KeyType type;
  std::string_view curve;  // EC: OpenSSL's group name
  unsigned rsa_bits;       // RSA with a fixed size; 0: any
  bool pkcs1;              // raw is a PKCS#1 RSAPublicKey, not an SPKI
};

constexpr std::array<Details, 8> kDetails = {{
    {"PKIX_ECDSA_P256_SHA_256", crypto::KeyType::kEc, "prime256v1", 0, false},
    {"PKIX_ECDSA_P384_SHA_384", crypto::KeyType::kEc, "secp384r1", 0, false},
    {"PKIX_ECDSA_P521_SHA_512", crypto::KeyType::kEc, "secp521r1", 0, false},
    {"PKIX_ED25519", crypto::KeyType::kEd25519, "", 0, false},
    {"PKIX_RSA_PKCS1V15_2048_SHA256", crypto::KeyType::kRsa, "", 2048, false},
    {"PKIX_RSA_PKCS1V15_3072_SHA256", crypto::KeyType::kRsa, "", 3072, false},
    {"PKIX_RSA_PKCS1V15_4096_SHA256", crypto::KeyType::kRsa, "", 4096, false},
    {"PKCS1_RSA_PKCS1V5", crypto::KeyType::kRsa, "", 0, true},
}};

void append_der_length(Bytes& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
    return;
  }
  Bytes digits;
  for (; n > 0; n >>= 8) digits.insert(digits.begin(), static_cast<std::uint8_t>(n & 0xff));
  out.push_back(static_cast<std::uint8_t>(0x80 | digits.size()));
  out.insert(out.end(), digits.begin(), digits.end());
}

// SEQUENCE { AlgorithmIdentifier { rsaEncryption, NULL }, BIT STRING { 0 unused bits, RSAPublicKey } }.
Bytes spki_of_pkcs1(ByteView pkcs1) {
  static constexpr std::array<std::uint8_t, 15> kRsaAlgorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                                                 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  Bytes bits{0x03};
  append_der_length(bits, pkcs1.size() + 1);
  bits.push_back(0x00);
  bits.insert(bits.end(), pkcs1.begin(), pkcs1.end());
  Bytes out{0x30};
  append_der_length(out, kRsaAlgorithm.size() + bits.size());
  out.insert(out.end(), kRsaAlgorithm.begin(), kRsaAlgorithm.end());
  out.insert(out.end(), bits.begin(), bits.end());
  return out;
}

bool is_kind(const crypto::PKey& key, const Details& d) {
  if (crypto::key_type(key) != d.type) return false;
  if (d.type == crypto::KeyType::kEc) {
    const auto curve = crypto::ec_group_name(key);
    return curve.ok() && *curve == d.curve;
  }
  return d.rsa_bits == 0 || crypto::key_bits(key) == d.rsa_bits;
}

}  // namespace

Result<LogKey> parse_log_key(std::string_view key_details, ByteView raw) {
  const Details* d = nullptr;
  for (const auto& candidate : kDetails) {
    if (candidate.name == key_details) d = &candidate;
  }
  if (d == nullptr) return input_error("unsupported keyDetails \"" + std::string(key_details) + "\"");
  const std::string unparsed = "the key does not parse as keyDetails " + std::string(key_details) + " says";
  const Bytes wrapped = d->pkcs1 ? spki_of_pkcs1(raw) : Bytes(raw.begin(), raw.end());
  auto key = crypto::parse_spki_der(wrapped);
  if (!key) return input_error(unparsed);
  if (!is_kind(*key, *d)) return input_error("the key is not what keyDetails " + std::string(key_details) + " says");
  auto spki = crypto::spki_der(*key);
  if (!spki) return input_error(unparsed);
  // A PKCS#1 key must be the one DER encoding of its integers: nothing OpenSSL
  // tolerated inside the wrapper is left out of the key's identity.
  if (d->pkcs1 && *spki != wrapped) return input_error(unparsed);
  return LogKey{std::move(*key), std::move(*spki)};
}

Result<std::string> key_details_of(const crypto::PKey& key) {
  for (const auto& d : kDetails) {
    if (!d.pkcs1 && is_kind(key, d)) return std::string(d.name);
  }
  return input_error("no Sigstore keyDetails names this key");
}

}  // namespace chartprov::sigstore
