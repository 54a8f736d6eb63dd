#pragma once
// A keyless signer the trust root lists (issue 16): a Fulcio certificate
// identity (the OIDC issuer, the subject: a workflow URI or an email, and
// Fulcio's CI claims) with the charts and environments it may sign for, its
// window and its status, as a signing key has them. Matching is
// policy::IdentityRequirement's (exact text, or a regular expression that
// must cover the whole value).
//
//   {"owner": "platform-ci",
//    "identity": "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main" | "identity_regexp":
//    "...", "issuer": "https://token.actions.githubusercontent.com" | "issuer_regexp": "...", "claims":
//    {"source-repository-ref": "refs/heads/main"}, "claims_regexp": {"build-trigger": "push|tag"}, "allowed_charts":
//    ["web-*"], "allowed_environments": ["production"], "not_before": "RFC 3339", "not_after": "RFC 3339", "status":
//    "active" | "revoked", "revoked_at": "RFC 3339"}
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/identity.hpp"
#include "util/result.hpp"

namespace chartprov::trust {

inline constexpr std::size_t kMaxIdentities = 1000;

struct SigningIdentity {
  std::string owner;
  policy::IdentityRequirement identity;
  std::vector<std::string> allowed_charts;        // globs; empty = none
  std::vector<std::string> allowed_environments;  // names or "*"
  std::int64_t not_before = 0;
  std::optional<std::int64_t> not_after;
  bool revoked = false;
  std::optional<std::int64_t> revoked_at;

  // Whether its signatures count for `environment` (listed, or "*").
  bool counts_for(std::string_view environment) const;
};

// The "signing_identities" list of a trust root's "signed" part, every entry
// read strictly. Refused: a value that is not a list, or a list of more than
// kMaxIdentities entries; and, each message starting "signing identity #N":
// - an entry that is not an object, or has a field not shown above;
// - "owner" missing or empty;
// - neither or both of "identity" and "identity_regexp", of "issuer" and
//   "issuer_regexp"; a value that is not a string, is empty or longer than
//   policy::kMaxIdentityText, a pattern std::regex does not compile;
// - "claims" / "claims_regexp" not a non-empty object of strings, a name that
//   is not a Fulcio claim (policy::is_known_claim), a bad value or pattern;
// - an "allowed_charts" glob that does not compile (util/glob.hpp), a list
//   that is not a list of strings;
// - a time that is not RFC 3339; a "status" other than active or revoked, a
//   revoked entry without "revoked_at";
// - the same identity (subject, issuer and claims, exact or pattern) listed
//   twice, whatever the charts: one signer has one entry.
Result<std::vector<SigningIdentity>> parse_signing_identities(const nlohmann::json& list);

}  // namespace chartprov::trust
