#pragma once
// EVP_PKEY as an owned value, built from or taken apart into the integers
// and points that other formats (OpenPGP) carry. Integers are unsigned
// big-endian byte strings; leading zero bytes are allowed on input.
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

struct evp_pkey_st;

namespace chartprov::crypto {

class PKey {
 public:
  PKey() = default;
  explicit PKey(evp_pkey_st* owned) : p_(owned) {}
  // A key that holds an OpenSSL RSA or EC_KEY structure (rsa_public_key,
  // ec_public_key): verification can call OpenSSL's RSA and ECDSA code
  // directly instead of fetching the provider's implementation first.
  static PKey direct(evp_pkey_st* owned) {
    PKey k(owned);
    k.direct_ = true;
    return k;
  }
  PKey(PKey&& o) noexcept : p_(o.p_), direct_(o.direct_) { o.p_ = nullptr; }
  PKey& operator=(PKey&& o) noexcept;
  PKey(const PKey&) = delete;
  PKey& operator=(const PKey&) = delete;
  ~PKey();

  evp_pkey_st* get() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  bool is_direct() const { return direct_; }

 private:
  evp_pkey_st* p_ = nullptr;
  bool direct_ = false;
};

enum class KeyType { kRsa, kDsa, kEc, kEd25519, kEd448, kOther };

KeyType key_type(const PKey& key);
bool has_private_key(const PKey& key);
unsigned key_bits(const PKey& key);  // modulus / group order size

// Public keys from their components.
Result<PKey> rsa_public_key(ByteView n, ByteView e);
Result<PKey> dsa_public_key(ByteView p, ByteView q, ByteView g, ByteView y);
Result<PKey> ec_public_key(std::string_view group, ByteView point);       // group: OpenSSL name
Result<PKey> raw_public_key(std::string_view type, ByteView public_key);  // "ED25519", "ED448"

// Private keys from their components; each is checked against its public
// half (pairwise check), so a key that does not match is an error.
Result<PKey> rsa_private_key(ByteView n, ByteView e, ByteView d, ByteView p, ByteView q);
Result<PKey> dsa_private_key(ByteView p, ByteView q, ByteView g, ByteView y, ByteView x);
Result<PKey> ec_private_key(std::string_view group, ByteView point, ByteView d);
Result<PKey> raw_private_key(std::string_view type, ByteView seed, ByteView expected_public);

// Components of a key. Names are OpenSSL's parameter names: "n", "e", "p",
// "q", "g", "pub" (DSA y).
Result<Bytes> bn_param(const PKey& key, const char* name);
Result<std::string> ec_group_name(const PKey& key);  // "prime256v1", ...
Result<Bytes> ec_public_point(const PKey& key);      // uncompressed 0x04 || x || y
Result<Bytes> raw_public_bytes(const PKey& key);     // Ed25519 / Ed448

// DER SubjectPublicKeyInfo of the public half.
Result<Bytes> spki_der(const PKey& key);

// Whether a DER SubjectPublicKeyInfo of an EC key is in the one form spki_der
// always gives, whatever form the key was read in: a named curve and an
// uncompressed point. A compressed or hybrid point, or explicit curve
// parameters, are other encodings of the same key; spki_der re-encodes them so
// that one key has one key id (the SHA-256 of its SPKI), and refuses an EC key
// on a curve without a name. False for anything malformed.
bool is_canonical_ec_spki(ByteView der);

// A fresh key: "rsa-3072", "rsa-4096", "ecdsa-p256", "ecdsa-p384", "ed25519".
Result<PKey> generate_key(std::string_view spec);

}  // namespace chartprov::crypto
