#pragma once
// What a keyring yields for verification: every key (primary or subkey)
// with the facts a verifier needs. Keyrings are interpreted by RNP (see
// infra/rnp); this is the project's own, library-free view of the result.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "openpgp/key.hpp"

namespace chartprov::openpgp {

// The most a keyring file (binary, armored, kbx, or one file of a GnuPG home)
// may hold, in chartprov and in the RNP helper that loads it.
inline constexpr std::uint64_t kMaxKeyringFile = 64u << 20;

struct KeyringKey {
  PublicKey key;
  Bytes primary_fingerprint;  // == key.fingerprint for a primary key
  bool is_subkey = false;
  std::vector<std::string> user_ids;  // of the primary key, valid ones only
  bool can_sign = false;              // key flags (or, lacking flags, the algorithm) allow signing
  bool valid = false;                 // RNP found its self-signatures / binding valid (at some time)
  std::int64_t valid_until = 0;       // ... until this unix time (expiry, binding expiry); 0 = no end
  std::int64_t expires_at = 0;        // unix time the key (or its primary) expires; 0 = never
  bool revoked = false;               // the key or its primary is revoked
  std::string revocation_reason;
  // The key as OpenSSL uses it, built once by a caller that verifies many
  // signatures with this keyring (verify-repo); null: built per signature.
  std::shared_ptr<const crypto::PKey> openssl_key;
  // The SHA-256 of its SPKI (the key id a .sig by the same key carries),
  // computed with openssl_key; empty: computed per signature that needs it.
  std::string spki_key_id;
};

struct Keyring {
  std::string source;  // where it was read from, for messages
  std::vector<KeyringKey> keys;
};

}  // namespace chartprov::openpgp
