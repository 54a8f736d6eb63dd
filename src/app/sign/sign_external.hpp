#pragma once
// The rules for signing with any signer (HSM, exec plugin, key file): the
// OpenPGP identity is the signer's key at a fixed creation time -- the key
// file's own, the key history's record, or given by the operator -- so the
// certificate from `key export --openpgp` matches the signatures; the key
// history decides which keys may sign which charts.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "app/keys/signer_source.hpp"
#include "app/sign/sign.hpp"
#include "keys/key_history.hpp"

namespace chartprov::app {

// The OpenPGP creation time of a signer: explicit, the key file's, or its
// key history record's; an error saying how to supply one otherwise.
Result<std::uint32_t> openpgp_creation_time(const OpenedSigner& signer, std::uint32_t explicit_created,
                                            const keys::KeyHistory* history);

// Refuses a key that the history marks retired/revoked or whose
// allowed_charts do not match the chart.
Status check_signing_allowed(const keys::KeyHistory& history, const std::string& key_id, const std::string& chart_name);

}  // namespace chartprov::app
