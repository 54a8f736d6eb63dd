#pragma once
// The key history file (keys.json): every signing key an organisation has
// used, with its validity window and status, so that rotation does not break
// deployments (a retired key's old signatures stay good) and revocation
// does (a revoked key's signatures stop counting).
//
//   {"version": 1, "keys": [{"id": "<hex SHA-256 of SPKI DER>", "algorithm": "ecdsa-p256",
//     "created": "2026-11-25T07:00:00Z", "not_before": "...", "not_after": "..." | absent,
//     "status": "active" | "retired" | "revoked", "revoked_at": "...", "reason": "...",
//     "compromised": false, "allowed_charts": ["web-*"], "location": "keys/ci.key",
//     "openpgp_fingerprint": "<40 hex>", "successor": "<id>"}]}
//
// Times are RFC 3339 UTC. Unknown fields are refused (a typo must not
// silently drop a restriction).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::keys {

inline constexpr std::size_t kMaxKeyHistorySize = 4u << 20;
inline constexpr std::size_t kMaxKeyRecords = 10000;

enum class KeyStatus { kActive, kRetired, kRevoked };
std::string_view to_string(KeyStatus status);

struct KeyRecord {
  std::string id;  // 64 lower-case hex
  std::string algorithm;
  std::int64_t created = 0;
  std::int64_t not_before = 0;
  std::optional<std::int64_t> not_after;
  KeyStatus status = KeyStatus::kActive;
  std::optional<std::int64_t> revoked_at;
  std::string reason;
  bool compromised = false;                 // revoked as compromised: no signature of it counts, ever
  std::vector<std::string> allowed_charts;  // globs; empty = any chart
  std::string location;                     // file path, pkcs11: URI or exec: plugin
  std::string openpgp_fingerprint;          // 40 upper-case hex, when it has a certificate
  std::string successor;                    // id of the key that replaced it
};

struct KeyHistory {
  std::vector<KeyRecord> keys;

  const KeyRecord* find(std::string_view id) const;
  KeyRecord* find(std::string_view id);
  const KeyRecord* find_by_openpgp(std::string_view fingerprint) const;
};

Result<KeyHistory> parse_key_history(std::string_view text);
std::string serialize_key_history(const KeyHistory& history);  // stable, pretty, trailing newline

// Whether a signature made at `signed_at` by this key counts at `now`.
struct KeyVerdict {
  bool ok = false;
  std::string reason;  // why not
};
KeyVerdict check_key_at(const KeyRecord& key, std::int64_t signed_at, std::int64_t now);

// Whether this key may sign chart `name` (allowed_charts globs).
KeyVerdict check_chart_allowed(const KeyRecord& key, std::string_view chart_name);

// RFC 3339 times (util/rfc3339.hpp), under the names this layer has used.
using chartprov::format_rfc3339;
using chartprov::parse_rfc3339;

}  // namespace chartprov::keys
