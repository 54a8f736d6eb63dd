#pragma once
// A key as the key history (keys.json) records it: the algorithm name chartprov gives it, and
// adding it as active. Its own header so that key rotation (app/keys/key_lifecycle.hpp) and the
// export of a certificate (app/keys/openpgp_export.hpp), which each record keys, need not include
// each other.
#include <filesystem>
#include <string>

#include "infra/openssl/pkey.hpp"
#include "keys/key_history.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// Adds a key to the history as active (e.g. after `key generate
// --key-history`); refuses a key already listed.
Result<keys::KeyRecord> record_new_key(const std::filesystem::path& history, keys::KeyRecord record);

// The algorithm name chartprov uses for a key ("ecdsa-p256", "rsa-3072", "ed25519", ...).
Result<std::string> key_algorithm_name(const crypto::PKey& key);

}  // namespace chartprov::app
