#pragma once
// policy.yaml (issue 5): per environment, a mode and rules matched by chart
// name glob. Parsing reports the file's line for every error; an unknown key
// is an error (a typo must not silently weaken production).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/admission_settings.hpp"
#include "policy/attestation_requirement.hpp"
#include "policy/identity.hpp"
#include "policy/log_requirement.hpp"
#include "policy/namespace_binding.hpp"
#include "util/result.hpp"

namespace chartprov::policy {

enum class Mode { enforce, warn, off };
std::string_view mode_name(Mode mode);

struct Rule {
  std::vector<std::string> charts;   // globs over the chart name ("*" for all)
  std::vector<std::string> signers;  // key ids (>= 16 hex, prefix), OpenPGP fingerprints or trust-root owners; "*" any
  // Keyless signers, written in `signers:` as mappings (docs/POLICY.md):
  //   - {identity | identity_regexp: ..., issuer | issuer_regexp: ..., claims: {NAME: VALUE}, claims_regexp: {...}}
  std::vector<IdentityRequirement> identities;
  int threshold = 1;                            // k distinct signers of `signers` must have signed
  std::vector<std::string> envelopes;           // formats that count; empty: all
  std::optional<std::int64_t> max_age_seconds;  // signature no older than this
  bool require_transparency_log = false;
  // transparency_log: inclusion in a listed log, cosigned by k of n witnesses
  // (log_requirement.hpp); unset: not required (require_transparency_log aside).
  std::optional<LogRequirement> transparency_log;
  // Build-provenance attestations the chart must have, each met by one
  // (attestation_requirement.hpp); empty: none required.
  std::vector<AttestationRequirement> attestations;
  // Built in only (no_environment_policy; a policy file cannot set these):
  // every envelope must verify: one that is neither good nor signed by a key
  // not trusted here (unknown_key: not evidence either way) denies the chart.
  bool every_envelope_verifies = false;
  // Each group of formats needs a counted envelope of its own (verify --key
  // --keyring: the .prov by the keyring and a cosign envelope by the key).
  std::vector<std::vector<std::string>> one_of_each;
  int line = 0;  // where the rule starts in the file (for reasons)
};

struct Environment {
  std::string name;  // "production", "staging", ... or "*" (every other environment)
  Mode mode = Mode::enforce;
  std::optional<bool> deny_unmatched;  // unset: true in enforce, false otherwise
  std::vector<Rule> rules;
  AdmissionSettings admission;  // the admission webhook's manifest check (admission_settings.hpp)
  int line = 0;
  bool denies_unmatched() const { return deny_unmatched.value_or(mode == Mode::enforce); }
};

struct Policy {
  std::string source;  // file name, or "built-in default"
  std::vector<Environment> environments;
  // namespaces: which environment a release in a namespace is judged under
  // (namespace_binding.hpp); empty: the policy binds no namespace.
  std::vector<NamespaceBinding> namespaces;
};

constexpr std::size_t kMaxPolicyBytes = 1u << 20;

// `source` names the file in errors ("policy.yaml:12: ..."). Besides unknown
// keys and malformed values, refused: parse_namespace_bindings' and
// parse_admission_settings' refusals; an environment name outside the plain
// set of check_environment_name (other than "*"); two names that differ only
// by case; a "*" section in mode warn or off (warn and off are granted by
// name only, so that no misspelt or look-alike name falls into them).
[[nodiscard]] Result<Policy> parse_policy(std::string_view yaml, std::string_view source);

// No policy file: every environment enforces (issue 14: a name such as
// "Production" or "prod-eu" must not dodge enforcement); one rule for every
// chart: one good signature by any trusted key. Warn and off are granted only
// by name, in a policy file.
Policy default_policy();

// The trust material a verify without --env or --policy was given.
enum class PlainTrust : std::uint8_t {
  trust_root,       // --trust-dir
  keyring,          // --keyring: the .prov
  key,              // --key: the cosign envelopes (and a .prov by key material)
  keyring_and_key,  // --key --keyring: the .prov by the keyring and the cosign envelopes by the key
};

// No environment at all: plain verify (and verify --trust-dir of an oci://
// chart without --env). One environment named "", enforced, one rule for
// every chart, by what counts as verified for the trust given:
//   trust_root: one good signature by a key the trust root accepts for the
//     chart; other envelopes beside it do not count and do not deny.
//   keyring: one good signature, and every envelope verifies (a signature by
//     a key the keyring does not hold, or --signer does not pin, is no
//     evidence either way); a .prov that fails any check is bad.
//   key: one good envelope, and every envelope judged verifies (a .prov found
//     beside the chart that another key signed is not judged).
//   keyring_and_key: both of the above: a good .prov and a good cosign
//     envelope (a .sig, a bundle, or for oci:// a signature of the
//     manifest), and every envelope verifies.
// Any problem (an unreadable archive) denies, as in every policy.
Policy no_environment_policy(PlainTrust trust);

// An environment name, in a policy or asked for: [A-Za-z0-9][A-Za-z0-9._-]{0,62}.
// Refused: empty or longer names, surrounding or inner spaces, any other byte
// (a Cyrillic "о" in "prоduction" is not an "o").
[[nodiscard]] Status check_environment_name(std::string_view name);

// The environment a deployment asks for (--env, CHARTPROV_ENV, a request's
// "environment"), checked against the policy before any decision. Refused
// (usage errors): a name with surrounding spaces; a name outside the set
// above; a name that differs from one of the policy's sections only by case
// ("Production" when the policy names "production").
[[nodiscard]] Status check_requested_environment(const Policy& policy, std::string_view env);

// The environment's section, else the "*" section, else nullptr.
const Environment* find_environment(const Policy& policy, std::string_view env);

}  // namespace chartprov::policy
