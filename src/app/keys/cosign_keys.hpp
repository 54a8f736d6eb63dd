#pragma once
// cosign key pairs as chartprov keys: `key generate --format cosign` writes
// PREFIX.key (cosign's encrypted format, 0600) and PREFIX.pub (PEM, 0644);
// any `--key` that is a cosign.key signs every envelope, .prov included
// (its OpenPGP identity uses the creation time stored with the key).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "infra/openssl/pkey.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct CosignKeyGenRequest {
  std::string algorithm = "ecdsa-p256";  // ecdsa-p256 (cosign's default), ecdsa-p384, rsa-3072, rsa-4096, ed25519
  std::filesystem::path output_prefix;
  const SecretString* password = nullptr;  // required; empty is a real (empty) password, as in cosign
  std::int64_t now = 0;
  bool overwrite = false;
};

struct CosignKeyGenResult {
  std::filesystem::path private_key, public_key;
  std::string key_id;  // hex SHA-256 of the SPKI
  std::uint32_t openpgp_created = 0;
};

Result<CosignKeyGenResult> generate_cosign_key(const CosignKeyGenRequest& request);

// cosign's password rule: COSIGN_PASSWORD, when set (even empty), verbatim.
std::optional<SecretString> cosign_password_from_env();

}  // namespace chartprov::app
