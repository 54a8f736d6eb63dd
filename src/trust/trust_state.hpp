#pragma once
// A verifier's own memory of the trust roots it has accepted (issue 14,
// TUF's rule that a client never goes back): per trust directory, the highest
// version accepted and the digest of its signed content. Pure: the file is
// read and written by app/trust/trust_state_file.hpp.
//
//   {"_type": "chartprov-trust-state",
//    "roots": [{"trust_dir": "/abs/path/trust", "version": 3, "digest": "sha256:<64 hex>"}]}
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trust/trust_root.hpp"
#include "util/result.hpp"

namespace chartprov::trust {

inline constexpr std::size_t kMaxTrustState = 1u << 20;
inline constexpr std::size_t kMaxPinnedRoots = 1024;

struct PinnedRoot {
  std::string trust_dir;  // absolute
  std::int64_t version = 0;
  std::string digest;  // root_digest() of that version
};

struct TrustState {
  std::vector<PinnedRoot> roots;
  const PinnedRoot* find(std::string_view trust_dir) const;
};

// "sha256:<hex>" of the root's canonical signed content: the same version
// signed by more keys has the same digest; any other content has another.
std::string root_digest(const TrustRoot& root);

// Refused (input errors): not JSON, another _type, unknown fields, a
// relative trust_dir or one listed twice, a version below 1, a digest that
// is not sha256:<64 lower-case hex>, more than kMaxPinnedRoots entries.
[[nodiscard]] Result<TrustState> parse_trust_state(std::string_view text);
std::string serialize_trust_state(const TrustState& state);

// How a trust root compares with what this verifier accepted before.
enum class PinCheck {
  unpinned,  // nothing accepted for this trust directory yet
  same,      // the pinned version and digest
  newer,     // a higher version: accepted, and the state moves up to it
  rollback,  // a lower version
  conflict,  // the pinned version with other content
};
PinCheck check_pin(const PinnedRoot* pin, std::int64_t version, std::string_view digest);

// The state with `trust_dir` pinned to (version, digest), replacing any entry.
TrustState with_pin(TrustState state, const PinnedRoot& pin);

}  // namespace chartprov::trust
