#include "policy/signer_list.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "policy/policy_values.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// A key id or fingerprint is compared in lower case without spaces;
// anything else is an owner name from the trust root, compared exactly.
std::string normalized_signer(std::string s) {
  std::string compact;
  for (const char c : s) {
    if (c != ' ') compact += c;
  }
  if (compact.size() >= 16 && is_hex(compact)) {
    std::transform(compact.begin(), compact.end(), compact.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return compact;
  }
  return s;
}

// "claims:" or "claims_regexp:": Fulcio claim names to values or patterns.
Status parse_claims(const LineErrors& err, const YamlNode& node, bool regexp, IdentityRequirement& out) {
  const char* what = regexp ? "claims_regexp" : "claims";
  if (node.kind != YamlNode::Kind::kMapping || node.children.empty())
    return err.at(node, std::string(what) + " must map claim names to values");
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& name = node.children[i];
    if (!is_known_claim(name.value)) {
      return err.at(name, "\"" + name.value + "\" is not a Fulcio claim (e.g. source-repository-uri, " +
                              "source-repository-ref, build-signer-uri, build-trigger; docs/POLICY.md)");
    }
    TRY(std::string v, scalar(err, node.children[i + 1], name.value));
    auto m = regexp ? TextMatch::regexp(std::move(v)) : TextMatch::exact(std::move(v));
    if (!m) return err.at(node.children[i + 1], name.value + ": " + m.error().message);
    out.claims.emplace_back(name.value, std::move(*m));
  }
  return ok_status();
}

// One keyless signer: a mapping in a rule's signers:.
Result<IdentityRequirement> parse_identity(const LineErrors& err, const YamlNode& node) {
  std::optional<TextMatch> subject;
  std::optional<TextMatch> issuer;
  IdentityRequirement req;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    const bool is_subject = key.value == "identity" || key.value == "identity_regexp";
    const bool is_issuer = key.value == "issuer" || key.value == "issuer_regexp";
    if (is_subject || is_issuer) {
      auto& slot = is_subject ? subject : issuer;
      if (slot) return err.at(key, key.value + ": give one of identity/identity_regexp, issuer/issuer_regexp");
      TRY(std::string v, scalar(err, value, key.value));
      const bool regexp = key.value.size() > 7 && key.value.compare(key.value.size() - 7, 7, "_regexp") == 0;
      auto m = regexp ? TextMatch::regexp(std::move(v)) : TextMatch::exact(std::move(v));
      if (!m) return err.at(value, key.value + ": " + m.error().message);
      slot = std::move(*m);
    } else if (key.value == "claims" || key.value == "claims_regexp") {
      if (auto c = parse_claims(err, value, key.value == "claims_regexp", req); !c) return c.error();
    } else {
      return err.at(key, "unknown signer key \"" + key.value +
                             "\" (expected identity, identity_regexp, issuer, issuer_regexp, claims, claims_regexp)");
    }
  }
  if (!subject) return err.at(node, "a keyless signer needs identity: or identity_regexp:");
  if (!issuer) return err.at(node, "a keyless signer needs issuer: or issuer_regexp: (the OIDC issuer)");
  req.subject = std::move(*subject);
  req.issuer = std::move(*issuer);
  return req;
}

}  // namespace

Result<SignerList> parse_signer_list(const LineErrors& err, const YamlNode& node) {
  SignerList out;
  if (node.kind == YamlNode::Kind::kSequence) {
    if (node.children.empty()) return err.at(node, "signers is an empty list");
    if (node.children.size() > kMaxListItems) return err.at(node, "signers has too many items");
    for (const auto& item : node.children) {
      if (item.kind == YamlNode::Kind::kMapping) {
        TRY(IdentityRequirement id, parse_identity(err, item));
        out.identities.push_back(std::move(id));
        continue;
      }
      TRY(std::string v, scalar(err, item, "signers"));
      out.signers.push_back(normalized_signer(std::move(v)));
    }
    return out;
  }
  TRY(std::vector<std::string> signers, string_list(err, node, "signers"));
  for (auto& v : signers) out.signers.push_back(normalized_signer(std::move(v)));
  return out;
}

}  // namespace chartprov::policy
