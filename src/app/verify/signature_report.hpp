#pragma once
// What one OpenPGP signature of a .prov came to: its verdict and the facts about its key. Its
// own header so that the rules for one signature (app/verify/signature_policy.hpp) and the
// verify use case (app/verify/verify.hpp) both build on it without including each other.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chartprov::app {

// What one signature packet of a .prov came to.
enum class SignatureStatus : std::uint8_t {
  good,
  bad,              // does not verify, wrong type, bad times, unknown critical subpacket
  unknown_key,      // its key is not in the keyring
  weak_hash,        // MD5, SHA-1, RIPEMD-160
  weak_key,         // e.g. RSA under 2048 bits
  revoked,          // its key is revoked
  expired,          // its key, or the signature, had expired
  invalid_key,      // its key has no valid self-signature or binding (then)
  not_signing_key,  // its key may not sign (key flags)
  not_pinned,       // not one of the --signer keys
  key_history,      // refused by the key history (window, revocation, unlisted)
};

// Its name in JSON and reports: good, bad, unknown-key, weak-hash, weak-key, revoked, expired,
// invalid-key, not-signing-key, not-pinned, key-history.
std::string_view signature_status_name(SignatureStatus status);

// One signature packet of the .prov and what it came to.
struct SignatureReport {
  SignatureStatus status = SignatureStatus::bad;
  std::string reason;               // empty when good
  std::string key_id;               // issuer key id (16 hex)
  std::string fingerprint;          // the signing key's, when known
  std::string primary_fingerprint;  // its primary key's
  // Good signatures: the SHA-256 of the key's canonical SPKI, the key id that
  // a .sig or bundle by the same key carries, and its primary key's (subkeys).
  std::string spki_key_id;
  std::string primary_spki_key_id;
  std::int64_t key_expires_at = 0;  // the key (or its primary) expires; 0 = never
  std::vector<std::string> user_ids;
  std::string key_algorithm;  // "RSA-3072", ...
  std::string hash;           // "SHA512"
  std::optional<std::uint32_t> created;
};

}  // namespace chartprov::app
