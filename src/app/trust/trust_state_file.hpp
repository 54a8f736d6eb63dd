#pragma once
// This verifier's trust state on disk (trust/trust_state.hpp): the highest
// trust root version it has accepted for each trust directory, with its
// digest, so that a root.json copied back from an older version is refused
// (issue 14, TUF's rollback rule) by `verify`, the gate, `serve`,
// `verify-repo` and `trust update` alike.
//
// Where: CHARTPROV_TRUST_STATE (what --trust-state sets), else
// $XDG_STATE_HOME/chartprov/trust-state.json, else
// $HOME/.local/state/chartprov/trust-state.json. Written atomically (0600,
// directory 0700) under an exclusive lock on a `.lock` file beside it.
#include <filesystem>
#include <optional>
#include <string>

#include "trust/trust_root.hpp"
#include "trust/trust_state.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// Refused: no CHARTPROV_TRUST_STATE, XDG_STATE_HOME or HOME to put it in.
[[nodiscard]] Result<std::filesystem::path> trust_state_path();

// After `root` (root.json of `dir`) was accepted on its own signatures:
// refused when this verifier never pinned a root for `dir` (a fresh host
// pins with `trust init --pin`), when it is older than the pinned version
// (rollback), or the pinned version with other content; a newer version
// becomes the pin. Also refused: a state file that cannot be read or
// parsed, or that group or others may write.
[[nodiscard]] Status check_pinned_root(const std::filesystem::path& dir, const trust::TrustRoot& root);

enum class PinMode {
  follow,   // trust init --pin, trust update: refused like check_pinned_root for a rollback or a conflict
  replace,  // trust init making a new root here: whoever makes it chose it
};

// Records `root` as the pin of `dir`: a fresh, the same or a newer root
// (and with PinMode::replace, any root).
[[nodiscard]] Status pin_trust_root(const std::filesystem::path& dir, const trust::TrustRoot& root, PinMode mode);

// The pin of `dir`, if any (trust show).
[[nodiscard]] Result<std::optional<trust::PinnedRoot>> find_pinned_root(const std::filesystem::path& dir);

}  // namespace chartprov::app
