#pragma once
// in-toto statements (https://in-toto.io/Statement/v1, and v0.1 as older
// attestations carry), the payload of an attestation's DSSE envelope: what
// the attestation is about (subjects, by digest) and what it says (a typed
// predicate). And the fields of a SLSA provenance v1 predicate that a
// policy can require (builder, source repository, ref, workflow).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace chartprov::sigstore {

inline constexpr std::size_t kMaxSubjects = 1024;
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";
inline constexpr std::string_view kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

struct StatementSubject {
  std::string name;
  std::vector<std::pair<std::string, std::string>> digests;  // algorithm, lower-case hex
  const std::string* digest(std::string_view algorithm) const;
};

struct Statement {
  std::string type;  // _type
  std::vector<StatementSubject> subjects;
  std::string predicate_type;
  std::string predicate_json;  // the predicate, re-serialized (empty when absent)
  bool names_sha256(std::string_view hex) const;
};

// Refusals: not a JSON object; _type not an in-toto statement v1 or v0.1;
// no subject, more than kMaxSubjects, a subject whose digest set is empty,
// not an object, or holds a value that is not lower-case hex of an even
// length; a missing or empty predicateType; a predicate that is not an
// object. Other fields are ignored (the statement format says so).
[[nodiscard]] Result<Statement> parse_statement(std::string_view payload);

// The parts of a SLSA provenance v1 predicate a policy names. Absent fields
// are empty. GitHub Actions' build type puts the workflow in
// buildDefinition.externalParameters.workflow {repository, ref, path}.
struct SlsaProvenance {
  std::string builder_id;                  // runDetails.builder.id
  std::string build_type;                  // buildDefinition.buildType
  std::string source_repository;           // externalParameters.workflow.repository
  std::string source_ref;                  // externalParameters.workflow.ref
  std::string workflow_path;               // externalParameters.workflow.path
  std::vector<std::string> resolved_uris;  // buildDefinition.resolvedDependencies[].uri
};

// Refused: a predicate that is not an object, a buildDefinition or
// runDetails that is not an object, a runDetails without builder.id, field
// values of the wrong type.
[[nodiscard]] Result<SlsaProvenance> parse_slsa_provenance(std::string_view predicate_json);

}  // namespace chartprov::sigstore
