// pkey.hpp's DER SubjectPublicKeyInfo: the one form of each key (spki_der)
// that key ids are the SHA-256 of, and the check that an EC SPKI is in it.
#include <openssl/x509.h>

#include <cstdint>
#include <iterator>

#include "infra/openssl/ossl_error.hpp"
#include "infra/openssl/pkey.hpp"

namespace chartprov::crypto {

namespace {

Result<Bytes> encode_spki(const PKey& key) {
  unsigned char* der = nullptr;
  const int len = key ? i2d_PUBKEY(key.get(), &der) : -1;
  if (len <= 0) {
    take_openssl_error();
    return internal_error("cannot encode public key");
  }
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

// One DER header at `pos`: its tag and content length, the content inside `der`.
bool read_header(ByteView der, std::size_t& pos, std::uint8_t& tag, std::size_t& len) {
  if (der.size() - pos < 2) return false;
  tag = der[pos++];
  const std::size_t first = der[pos++];
  len = first;
  if (first >= 0x80) {
    const std::size_t n = first & 0x7f;
    if (n == 0 || n > 3 || der.size() - pos < n) return false;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | der[pos++];
  }
  return len <= der.size() - pos;
}

}  // namespace

bool is_canonical_ec_spki(ByteView der) {
  constexpr std::uint8_t kSequence = 0x30, kOid = 0x06, kBitString = 0x03;
  std::size_t pos = 0;
  std::uint8_t tag = 0;
  std::size_t len = 0;
  if (!read_header(der, pos, tag, len) || tag != kSequence) return false;  // SubjectPublicKeyInfo
  if (!read_header(der, pos, tag, len) || tag != kSequence) return false;  // AlgorithmIdentifier
  const std::size_t algorithm_end = pos + len;
  if (!read_header(der, pos, tag, len) || tag != kOid) return false;  // id-ecPublicKey
  pos += len;
  if (!read_header(der, pos, tag, len) || tag != kOid) return false;  // namedCurve, not explicit parameters
  pos += len;
  if (pos != algorithm_end) return false;
  if (!read_header(der, pos, tag, len) || tag != kBitString || len < 2) return false;
  return der[pos] == 0x00 && der[pos + 1] == 0x04;  // no unused bits; 0x04: uncompressed point
}

Result<Bytes> spki_der(const PKey& key) {
  if (key && key_type(key) == KeyType::kEd25519) {
    // RFC 8410 gives an Ed25519 key one SPKI: this header, then the 32 key bytes. Written
    // here rather than through OpenSSL's encoders, which cost ~40 us a key (a key id per
    // verify, docs/PERFORMANCE.md).
    static constexpr std::uint8_t kEd25519SpkiHeader[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                          0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    if (auto raw = raw_public_bytes(key); raw && raw->size() == 32) {
      Bytes der(std::begin(kEd25519SpkiHeader), std::end(kEd25519SpkiHeader));
      der.insert(der.end(), raw->begin(), raw->end());
      return der;
    }
  }
  TRY(Bytes der, encode_spki(key));
  if (key_type(key) != KeyType::kEc || is_canonical_ec_spki(der)) return der;
  // A compressed point or explicit curve parameters: the same key again, as
  // its named curve and uncompressed point, so that it gets the same key id.
  TRY(const std::string group, ec_group_name(key));
  TRY(const Bytes point, ec_public_point(key));
  TRY(const PKey canonical, ec_public_key(group, point));
  TRY(der, encode_spki(canonical));
  if (!is_canonical_ec_spki(der)) return internal_error("cannot encode the EC key canonically");
  return der;
}

}  // namespace chartprov::crypto
