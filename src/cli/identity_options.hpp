#pragma once
// The certificate-identity flags, with cosign's names, shared by verify-blob
// and verify: the keyless signer a command trusts.
//   --certificate-identity | --certificate-identity-regexp
//   --certificate-oidc-issuer | --certificate-oidc-issuer-regexp
//   --certificate-github-workflow-{trigger,sha,name,repository,ref}
//   --certificate-claim NAME=VALUE, --certificate-claim-regexp NAME=PATTERN
#include <optional>
#include <string>
#include <vector>

#include "cli/argv_names.hpp"
#include "policy/identity.hpp"
#include "util/result.hpp"

namespace chartprov::cli {

struct IdentityOptions {
  std::string identity, identity_regexp, issuer, issuer_regexp;
  std::string gh_trigger, gh_sha, gh_name, gh_repository, gh_ref;  // Fulcio's legacy GitHub claims
  std::vector<std::string> claims, claims_regexp;                  // NAME=VALUE
};

void add_identity_options(OptionSieve& sieve, IdentityOptions& o);

// The identity the flags describe; none when no identity flag is given.
// Usage errors: a subject or an issuer missing (both are needed), exact and
// regexp forms of one field together, a pattern that does not compile, an
// unknown claim name, a claim that is not NAME=VALUE.
Result<std::optional<policy::IdentityRequirement>> identity_requirement(const IdentityOptions& o);

}  // namespace chartprov::cli
