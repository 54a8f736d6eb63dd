#pragma once
// The rule for signing with any signer (HSM, exec plugin, key file): the key
// history decides which keys may sign which charts. (The OpenPGP identity a
// signer signs as: openpgp_creation_time, app/keys/signer_source.hpp.)
#include <cstdint>
#include <filesystem>
#include <optional>

#include "app/keys/signer_source.hpp"
#include "app/sign/sign.hpp"
#include "keys/key_history.hpp"

namespace chartprov::app {

// Refuses a key that the history marks retired/revoked or whose
// allowed_charts do not match the chart.
Status check_signing_allowed(const keys::KeyHistory& history, const std::string& key_id, const std::string& chart_name);

}  // namespace chartprov::app
