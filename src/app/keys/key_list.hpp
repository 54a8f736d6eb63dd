#pragma once
// `chartprov key list`: the keys chartprov can reach -- the key history,
// key files in directories, keys on PKCS#11 tokens -- with key id, OpenPGP
// fingerprint (where known), algorithm and where each lives.
#include <filesystem>
#include <string>
#include <vector>

#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct ListedKey {
  std::string source;       // history | file | token
  std::string location;     // path, or URI without PIN
  std::string key_id;       // hex SHA-256 of the SPKI (empty if unknown)
  std::string fingerprint;  // OpenPGP, upper-case hex (empty if none)
  std::string algorithm;    // ecdsa-p256, rsa-3072, ...
  std::string status;       // history: active/retired/revoked; else empty
  std::string user_id;
};

struct KeyListRequest {
  std::vector<std::filesystem::path> histories;
  std::vector<std::filesystem::path> dirs;
  std::vector<std::string> tokens;    // pkcs11: URIs naming a token
  const SecretString* pin = nullptr;  // for the tokens
};

Result<std::vector<ListedKey>> list_keys(const KeyListRequest& request);

}  // namespace chartprov::app
