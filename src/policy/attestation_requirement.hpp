#pragma once
// What a rule requires of a chart's build-provenance attestations (issue 16,
// docs/POLICY.md#attestations), read from the rule's `attestations:`:
//
//   rules:
//     - charts: "*"
//       signers: [release-team]
//       attestations:
//         - predicate_type: https://slsa.dev/provenance/v1     # required
//           builder_id: https://github.com/actions/runner/github-hosted
//           source_repository: https://github.com/acme/charts
//           source_ref_regexp: refs/tags/v.*
//           workflow: .github/workflows/release.yml
//           signers: [ci-key]                                 # default: the rule's signers
//
// Each requirement is met by one good attestation (a signer it accepts,
// naming the chart's digest) of that predicate type whose fields match
// every one given (exactly, or by an anchored regular expression with the
// _regexp form). The fields are those of SLSA provenance v1 and are refused
// with any other predicate type.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/evidence.hpp"
#include "policy/identity.hpp"
#include "policy/line_errors.hpp"
#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

inline constexpr std::size_t kMaxAttestationRequirements = 16;

struct AttestationRequirement {
  std::string predicate_type;
  // SLSA provenance v1 only; unset: anything.
  std::optional<TextMatch> builder_id;
  std::optional<TextMatch> source_repository;
  std::optional<TextMatch> source_ref;
  std::optional<TextMatch> workflow;  // the workflow's path in the repository
  // Who may sign the attestation, in a rule's signers: grammar. When the
  // requirement names none, parse_rule gives it the rule's own.
  std::vector<std::string> signers;
  std::vector<IdentityRequirement> identities;
  bool names_signers = false;  // signers: was given here
  int line = 0;

  // "https://slsa.dev/provenance/v1 (builder_id X, source_ref /refs\/tags\/.*/)"
  std::string describe() const;
  // The first field of a good attestation of this predicate type that does
  // not match ("builder id \"B\" is not \"A\"", "names no source ref"), or
  // "" when every field given matches.
  std::string field_mismatch(const AttestationEvidence& attestation) const;
};

// Reads the value of a rule's `attestations:` (errors are "SOURCE:LINE:
// ..."). Refused: a value that is not a non-empty list of mappings, more
// than kMaxAttestationRequirements; an unknown key (expected
// predicate_type, builder_id, builder_id_regexp, source_repository,
// source_repository_regexp, source_ref, source_ref_regexp, workflow,
// workflow_regexp, signers); no predicate_type; a field given both exactly
// and as _regexp; a field with a predicate type other than SLSA provenance
// v1; a value TextMatch refuses; parse_signer_list's refusals.
[[nodiscard]] Result<std::vector<AttestationRequirement>> parse_attestation_requirements(const yaml::YamlNode& node,
                                                                                         const LineErrors& err);

}  // namespace chartprov::policy
