#pragma once
// The key generate use case: a new signing key, written as PREFIX.key
// (private, 0600, encrypted unless asked otherwise), PREFIX.pub.gpg (binary
// certificate: what `helm --keyring` reads) and PREFIX.pub.asc (armored).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

inline constexpr const char* kDefaultKeyAlgorithm = "ecdsa-p256";

struct KeyGenRequest {
  std::string algorithm = kDefaultKeyAlgorithm;  // ecdsa-p256, ecdsa-p384, rsa-3072, rsa-4096, ed25519
  std::string user_id;
  std::filesystem::path output_prefix;
  const SecretString* passphrase = nullptr;    // null: unencrypted key file
  std::optional<std::uint32_t> expires_after;  // seconds after creation
  std::int64_t now = 0;                        // 0 = the clock
  bool overwrite = false;
};

struct KeyGenResult {
  std::filesystem::path key_file, public_binary, public_armored;
  std::string fingerprint;  // upper-case hex
  std::string algorithm;    // "ECDSA-P256", ...
};

Result<KeyGenResult> generate_signing_key(const KeyGenRequest& request);

// "2y", "18m" (months), "90d", "12h", "3600s", "never"/"0" -> seconds.
Result<std::optional<std::uint32_t>> parse_duration(std::string_view text);

// A user id is one line of printable text, at most 1024 bytes.
Status validate_user_id(std::string_view uid);

}  // namespace chartprov::app
