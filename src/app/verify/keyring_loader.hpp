#pragma once
// Keyrings for verification. RNP interprets them (in the chartprov-rnp
// helper); the answer is cached by the keyring's SHA-256 so that the next
// verify needs neither the helper nor librnp.
#include <filesystem>
#include <string_view>

#include "openpgp/keyring.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct KeyringLoadOptions {
  bool use_cache = true;
};

Result<openpgp::Keyring> load_keyring(const std::filesystem::path& path, const KeyringLoadOptions& options = {});

// Builds each key as OpenSSL uses it (KeyringKey::openssl_key) and its SPKI
// key id (KeyringKey::spki_key_id), once, for a caller that verifies many
// signatures; a key OpenSSL cannot take stays unbuilt and is built (and
// refused) per signature as before.
void build_openssl_keys(openpgp::Keyring& keyring);

// Parses the helper's JSON answer (also what the cache stores). Strict.
Result<openpgp::Keyring> parse_keyring_json(std::string_view json, const std::string& source);

}  // namespace chartprov::app
