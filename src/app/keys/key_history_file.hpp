#pragma once
// Reading and writing keys.json (keys/key_history.hpp) as a file: bounded
// read, atomic replace, never group/other-writable (it decides which keys count).
#include <filesystem>

#include "keys/key_history.hpp"
#include "util/result.hpp"

namespace chartprov::app {

Result<keys::KeyHistory> load_key_history(const std::filesystem::path& path);
// A missing file is an empty history (the first key creates it).
Result<keys::KeyHistory> load_key_history_or_empty(const std::filesystem::path& path);
Status save_key_history(const std::filesystem::path& path, const keys::KeyHistory& history);

// Applies the history to a good OpenPGP signature: the signing key (by
// fingerprint) must be listed and valid at the signature's time. Returns the
// refusal reason, or empty when the signature still counts.
std::string key_history_refusal(const keys::KeyHistory& history, const std::string& fingerprint, std::int64_t signed_at,
                                std::int64_t now);

}  // namespace chartprov::app
