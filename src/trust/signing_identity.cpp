#include "trust/signing_identity.hpp"

#include <algorithm>
#include <set>

#include "trust/json_fields.hpp"
#include "util/glob.hpp"

namespace chartprov::trust {
namespace {

using nlohmann::json;
using policy::TextMatch;

// "NAME" or "NAME_regexp": exactly one of them.
Result<TextMatch> text_match(const json& j, const std::string& name, const std::string& where) {
  const std::string re_name = name + "_regexp";
  const bool exact = j.contains(name);
  if (exact == j.contains(re_name))
    return input_error(where + ": give one of \"" + name + "\" and \"" + re_name + "\"");
  const std::string& field = exact ? name : re_name;
  TRY(std::string text, str(j, field.c_str(), true, where));
  auto m = exact ? TextMatch::exact(std::move(text)) : TextMatch::regexp(std::move(text));
  if (!m) return input_error(where + ": \"" + field + "\": " + m.error().message);
  return m;
}

// "claims" or "claims_regexp": Fulcio claim names to values or patterns.
Status add_claims(const json& j, const char* field, bool regexp, const std::string& where,
                  policy::IdentityRequirement& out) {
  const auto it = j.find(field);
  if (it == j.end()) return ok_status();
  if (!it->is_object() || it->empty())
    return input_error(where + ": \"" + field + "\" must map Fulcio claim names to strings");
  for (const auto& [name, value] : it->items()) {
    if (!policy::is_known_claim(name)) return input_error(where + ": \"" + name + "\" is not a Fulcio claim");
    if (!value.is_string()) return input_error(where + ": \"" + field + "\": \"" + name + "\" must be a string");
    auto m = regexp ? TextMatch::regexp(value.get<std::string>()) : TextMatch::exact(value.get<std::string>());
    if (!m) return input_error(where + ": \"" + field + "\": \"" + name + "\": " + m.error().message);
    out.claims.emplace_back(name, std::move(*m));
  }
  return ok_status();
}

// What makes two entries the same signer: the requirement's fields as written.
std::string requirement_key(const json& j) {
  json key = json::object();
  for (const char* f : {"identity", "identity_regexp", "issuer", "issuer_regexp", "claims", "claims_regexp"}) {
    if (const auto it = j.find(f); it != j.end()) key[f] = *it;
  }
  return key.dump();
}

Result<SigningIdentity> parse_one(const json& j, const std::string& where) {
  TRY_STATUS(check_fields(j,
                          {"owner", "identity", "identity_regexp", "issuer", "issuer_regexp", "claims", "claims_regexp",
                           "allowed_charts", "allowed_environments", "not_before", "not_after", "status", "revoked_at"},
                          where));
  SigningIdentity id;
  TRY(id.owner, str(j, "owner", true, where));
  if (id.owner.empty()) return input_error(where + ": \"owner\" is empty");
  TRY(id.identity.subject, text_match(j, "identity", where));
  TRY(id.identity.issuer, text_match(j, "issuer", where));
  TRY_STATUS(add_claims(j, "claims", false, where, id.identity));
  TRY_STATUS(add_claims(j, "claims_regexp", true, where, id.identity));
  TRY(id.allowed_charts, str_list(j, "allowed_charts", kMaxIdentities, where));
  for (const auto& g : id.allowed_charts) {
    if (auto st = check_glob(g); !st) return input_error(where + ": allowed_charts: " + st.error().message);
  }
  TRY(id.allowed_environments, str_list(j, "allowed_environments", kMaxIdentities, where));
  TRY(const auto nb, time_field(j, "not_before", false, where));
  id.not_before = nb.value_or(0);
  TRY(id.not_after, time_field(j, "not_after", false, where));
  TRY(const std::string status, str(j, "status", true, where));
  if (status != "active" && status != "revoked") return input_error(where + ": status must be active or revoked");
  id.revoked = status == "revoked";
  TRY(id.revoked_at, time_field(j, "revoked_at", false, where));
  if (id.revoked && !id.revoked_at) return input_error(where + ": a revoked identity needs revoked_at");
  return id;
}

}  // namespace

bool SigningIdentity::counts_for(std::string_view environment) const {
  return std::any_of(allowed_environments.begin(), allowed_environments.end(),
                     [environment](const std::string& e) { return e == "*" || e == environment; });
}

Result<std::vector<SigningIdentity>> parse_signing_identities(const json& list) {
  if (!list.is_array() || list.size() > kMaxIdentities)
    return input_error("signed: \"signing_identities\" must be a list of at most " + std::to_string(kMaxIdentities));
  std::vector<SigningIdentity> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = "signing identity #" + std::to_string(i + 1);
    TRY(SigningIdentity id, parse_one(list[i], where));
    if (!seen.insert(requirement_key(list[i])).second) return input_error(where + " is listed twice");
    out.push_back(std::move(id));
  }
  return out;
}

}  // namespace chartprov::trust
