#pragma once
// --trust-state FILE, on every command that reads a trust directory: where this
// verifier keeps the highest trust root version it has accepted per trust
// directory (app/trust/trust_state_file.hpp). The option sets CHARTPROV_TRUST_STATE
// for this process, which is where the app layer looks, so the option and the
// variable are one setting.
#include <string>

namespace chartprov::cli {

inline constexpr const char* kTrustStateHelp =
    "file that keeps the trust root versions this host has accepted (refuses a rollback); default "
    "$CHARTPROV_TRUST_STATE, else $XDG_STATE_HOME/chartprov/trust-state.json, else "
    "~/.local/state/chartprov/trust-state.json";

// The option's callback: makes `file` absolute and exports it as CHARTPROV_TRUST_STATE.
void use_trust_state_file(const std::string& file);

// --tlog-state FILE: where this verifier keeps the last checkpoint of each
// transparency log it saw (app/verify/tlog_state.hpp); exported as
// CHARTPROV_TLOG_STATE, where the app layer looks. No default: unset, no
// checkpoint is compared.
inline constexpr const char* kTlogStateHelp =
    "file that keeps the last checkpoint seen of each transparency log: a newer one must be proven consistent "
    "from the log's tiles, a split view denies (default $CHARTPROV_TLOG_STATE; unset: not checked)";
void use_tlog_state_file(const std::string& file);

}  // namespace chartprov::cli
