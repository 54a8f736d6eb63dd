#pragma once
// policy.yaml (issue 5): per environment, a mode and rules matched by chart
// name glob. Parsing reports the file's line for every error; an unknown key
// is an error (a typo must not silently weaken production).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::policy {

enum class Mode { enforce, warn, off };
std::string_view mode_name(Mode mode);

struct Rule {
  std::vector<std::string> charts;   // globs over the chart name ("*" for all)
  std::vector<std::string> signers;  // key ids (>= 16 hex, prefix), OpenPGP fingerprints or trust-root owners; "*" any
  int threshold = 1;                 // k distinct signers of `signers` must have signed
  std::vector<std::string> envelopes;           // formats that count; empty: all
  std::optional<std::int64_t> max_age_seconds;  // signature no older than this
  bool require_transparency_log = false;
  int line = 0;  // where the rule starts in the file (for reasons)
};

struct Environment {
  std::string name;  // "production", "staging", ... or "*" (every other environment)
  Mode mode = Mode::enforce;
  std::optional<bool> deny_unmatched;  // unset: true in enforce, false otherwise
  std::vector<Rule> rules;
  int line = 0;
  bool denies_unmatched() const { return deny_unmatched.value_or(mode == Mode::enforce); }
};

struct Policy {
  std::string source;  // file name, or "built-in default"
  std::vector<Environment> environments;
};

constexpr std::size_t kMaxPolicyBytes = 1u << 20;

// `source` names the file in errors ("policy.yaml:12: ...").
Result<Policy> parse_policy(std::string_view yaml, std::string_view source);

// No policy file: production (and prod) enforce, every other environment warn;
// one rule for every chart: one good signature by any trusted key.
Policy default_policy();

// No environment at all (verify --trust-dir of an oci:// chart without --env):
// one environment named "", enforced, one rule: one good signature by a key the
// trust material accepts for the chart -- what verify --trust-dir of a file asks.
Policy no_environment_policy();

// The environment's section, else the "*" section, else nullptr.
const Environment* find_environment(const Policy& policy, std::string_view env);

}  // namespace chartprov::policy
