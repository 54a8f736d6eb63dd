#pragma once
// A `signers:` entry of policy.yaml (docs/POLICY.md): a value, or a list of
// values -- key ids (>= 16 hex digits, compared in lower case without
// spaces), OpenPGP fingerprints, trust-root owners, "*" -- and mappings,
// keyless identities ({identity | identity_regexp, issuer | issuer_regexp,
// claims, claims_regexp}). A rule's signers and an attestation
// requirement's read the same grammar. Internal to the policy layer.
#include <string>
#include <vector>

#include "policy/identity.hpp"
#include "policy/line_errors.hpp"
#include "util/result.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {

struct SignerList {
  std::vector<std::string> signers;             // normalized: hex in lower case without spaces
  std::vector<IdentityRequirement> identities;  // the mappings
};

// Refused, with the line: an empty list or one of more than kMaxListItems;
// an item that is neither a value nor a mapping; in a mapping, an unknown
// key, identity (or issuer) given twice, no identity or no issuer, a claim
// that is not a Fulcio claim, a value TextMatch refuses.
[[nodiscard]] Result<SignerList> parse_signer_list(const LineErrors& err, const yaml::YamlNode& node);

}  // namespace chartprov::policy
