#pragma once
// Key rotation and revocation against the key history (keys.json):
// rotation makes the successor and retires the current key at the same
// instant, so every chart signed so far keeps verifying (its signatures fall
// inside the old key's window) while new ones must use the successor.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "app/keys/key_record.hpp"
#include "app/keys/keygen.hpp"
#include "infra/openssl/pkey.hpp"
#include "keys/key_history.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct RotateRequest {
  std::filesystem::path current_key;  // a chartprov key file
  const SecretString* current_passphrase = nullptr;
  std::filesystem::path history;                 // keys.json (created if missing)
  std::filesystem::path output_prefix;           // the successor's PREFIX.key/.pub.gpg/.pub.asc
  const SecretString* new_passphrase = nullptr;  // null: unencrypted successor
  std::string user_id;                           // default: the current key's
  std::optional<std::uint32_t> expires_after;
  std::int64_t now = 0;
  bool overwrite = false;
};

struct RotateResult {
  KeyGenResult successor;
  keys::KeyRecord retired;  // the current key, as now recorded
  keys::KeyRecord active;   // the successor, as recorded
};

Result<RotateResult> rotate_key(const RotateRequest& request);

// Rotation of a key inside an HSM: the successor is generated on the same
// token (same curve or modulus, non-extractable), its OpenPGP certificate is
// written to PREFIX.pub.gpg/.pub.asc, and the history records both. The
// current key must already be in the history (key export --openpgp --key-history).
struct TokenRotateRequest {
  std::string current_uri;            // pkcs11:...?module-path=...
  const SecretString* pin = nullptr;  // null: the URI's pin-value
  std::filesystem::path history;
  std::filesystem::path output_prefix;
  std::string new_label;  // CKA_LABEL of the successor
  std::string user_id;
  std::optional<std::uint32_t> expires_after;
  std::int64_t now = 0;
  bool overwrite = false;
};

Result<RotateResult> rotate_token_key(const TokenRotateRequest& request);

struct RevokeRequest {
  std::filesystem::path history;
  std::string key;  // key id (64 hex) or OpenPGP fingerprint (40 hex), any case
  std::string reason;
  bool compromised = false;        // no signature by the key counts, whenever made
  std::optional<std::int64_t> at;  // revocation time; default now
  std::int64_t now = 0;
};

Result<keys::KeyRecord> revoke_key(const RevokeRequest& request);

}  // namespace chartprov::app
