#pragma once
// What a rule requires of a signature's transparency-log inclusion (issue
// 17, docs/POLICY.md#transparency-logs), read from the rule's
// `transparency_log:`:
//
//   rules:
//     - charts: "*"
//       signers: [release-team]
//       transparency_log:
//         logs: [9f3c...e1]          # logId.keyId of the trusted root's tlogs (64 hex or base64);
//                                    # omitted: any log of the trusted root
//         witnesses:                 # C2SP tlog-witness cosignatures on the entry's checkpoint
//           threshold: 2
//           keys:                    # C2SP vkeys: NAME+KEYID(8 hex)+base64(0x04 || Ed25519 key)
//             - witness.example.org+8a4f2c1e+BPm...
//
// An envelope counts only when one of its verified log entries is in a
// listed log and its checkpoint carries verified cosignatures of at least
// `threshold` of the listed witnesses. The cosignatures are checked in
// app/verify (this layer does no cryptography); here only their count.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "policy/evidence.hpp"
#include "policy/line_errors.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

inline constexpr std::size_t kMaxRequiredLogs = 16;
inline constexpr std::size_t kMaxWitnesses = 32;

struct LogRequirement {
  std::vector<std::string> logs;       // lower-case hex log ids; empty: any log of the trusted root
  int witness_threshold = 0;           // 0: no cosignature required
  std::vector<std::string> witnesses;  // C2SP vkeys, as written
  int line = 0;

  // Why the envelope's log entries do not meet the requirement, or "" when
  // one entry does: "no verified transparency-log entry, which this rule
  // requires"; "its log entries are in log(s) ID.., none of which this rule
  // lists"; "K of N witness cosignatures are required, its checkpoint has M
  // (missing: NAME, ...)".
  std::string refusal(const EnvelopeEvidence& envelope) const;
};

// A C2SP vkey of a cosignature/v1 witness key, read as text: NAME, the 8-hex
// key id and the 33 bytes (0x04 || 32-byte Ed25519 key). Whether the key id
// is the key's is checked where the key is made (app/verify). Refusals: not
// NAME, '+', KEYID, '+' and the key (whose base64 may hold '+'); an empty name; a key id that is not 8 hex
// digits; a key that is not base64 of 33 bytes starting 0x04.
struct WitnessVkey {
  std::string name;
  std::string key_id_hex;
  Bytes key;  // the 32-byte Ed25519 public key
};
[[nodiscard]] Result<WitnessVkey> parse_witness_vkey(std::string_view vkey);

// Reads the value of a rule's `transparency_log:` (errors "SOURCE:LINE:
// ..."). Refused: not a mapping; an unknown key (expected logs, witnesses);
// logs: not a list of strings, more than kMaxRequiredLogs, an item that is
// neither 64 hex digits nor base64 of 32 bytes; witnesses: not a mapping, an
// unknown key (expected threshold, keys), no keys or more than kMaxWitnesses,
// a key parse_witness_vkey refuses, the same key twice, a threshold that is
// not 1..number of keys.
[[nodiscard]] Result<LogRequirement> parse_log_requirement(const yaml::YamlNode& node, const LineErrors& err);

}  // namespace chartprov::policy
