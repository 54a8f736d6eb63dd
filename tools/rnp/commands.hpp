#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "util/result.hpp"

namespace chartprov::rnpbridge {

inline constexpr int kProtocolVersion = 2;

// `keyring PATH`: every key with the facts a verifier needs.
Result<nlohmann::json> dump_keyring(const std::string& path);

// `sign`: request {source, key, passphrase, created, data(base64)}.
Result<nlohmann::json> sign_request(const std::string& request_json);

// `verify-cleartext KEYRING PROVFILE`: "good <FPR>" (several: space
// separated) or "bad <reason>". Errors are for unreadable inputs only.
Result<std::string> verify_cleartext(const std::string& keyring, const std::string& prov_path);

}  // namespace chartprov::rnpbridge
