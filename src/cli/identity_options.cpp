#include "cli/identity_options.hpp"

#include <utility>

namespace chartprov::cli {
namespace {

Result<policy::TextMatch> text_match(const std::string& exact, const std::string& regexp, const char* flag) {
  if (!exact.empty() && !regexp.empty())
    return usage_error(std::string("give --") + flag + " or --" + flag + "-regexp, not both");
  auto m = exact.empty() ? policy::TextMatch::regexp(regexp) : policy::TextMatch::exact(exact);
  if (!m) return usage_error(std::string("--") + flag + (exact.empty() ? "-regexp" : "") + ": " + m.error().message);
  return m;
}

Status add_claim(policy::IdentityRequirement& req, const std::string& name, const std::string& value, bool regexp) {
  if (!policy::is_known_claim(name)) {
    return usage_error("\"" + name +
                       "\" is not a Fulcio claim (e.g. source-repository-uri, source-repository-ref, "
                       "build-signer-uri, build-trigger)");
  }
  auto m = regexp ? policy::TextMatch::regexp(value) : policy::TextMatch::exact(value);
  if (!m) return usage_error(name + ": " + m.error().message);
  req.claims.emplace_back(name, std::move(*m));
  return ok_status();
}

bool any_given(const IdentityOptions& o) {
  for (const auto* s : {&o.identity, &o.identity_regexp, &o.issuer, &o.issuer_regexp, &o.gh_trigger, &o.gh_sha,
                        &o.gh_name, &o.gh_repository, &o.gh_ref}) {
    if (!s->empty()) return true;
  }
  return !o.claims.empty() || !o.claims_regexp.empty();
}

}  // namespace

void add_identity_options(OptionSieve& s, IdentityOptions& o) {
  s.option("--certificate-identity", o.identity, "keyless: the certificate's subject (SAN URI or email), exactly");
  s.option("--certificate-identity-regexp", o.identity_regexp,
           "keyless: the certificate's subject, matched whole by this regular expression");
  s.option("--certificate-oidc-issuer", o.issuer, "keyless: the OIDC issuer the certificate names, exactly");
  s.option("--certificate-oidc-issuer-regexp", o.issuer_regexp,
           "keyless: the OIDC issuer, matched whole by this regular expression");
  s.option("--certificate-github-workflow-trigger", o.gh_trigger, "keyless: GitHub claim, the event (e.g. push)");
  s.option("--certificate-github-workflow-sha", o.gh_sha, "keyless: GitHub claim, the commit");
  s.option("--certificate-github-workflow-name", o.gh_name, "keyless: GitHub claim, the workflow name");
  s.option("--certificate-github-workflow-repository", o.gh_repository, "keyless: GitHub claim, owner/repository");
  s.option("--certificate-github-workflow-ref", o.gh_ref, "keyless: GitHub claim, the ref (e.g. refs/tags/v1)");
  s.option("--certificate-claim", o.claims,
           "keyless: NAME=VALUE, a Fulcio claim the certificate must carry exactly (e.g. "
           "source-repository-ref=refs/tags/v1.0.0; repeatable)");
  s.option("--certificate-claim-regexp", o.claims_regexp,
           "keyless: NAME=PATTERN, a Fulcio claim matched whole by a regular expression (repeatable)");
}

Result<std::optional<policy::IdentityRequirement>> identity_requirement(const IdentityOptions& o) {
  if (!any_given(o)) return std::optional<policy::IdentityRequirement>();
  if (o.identity.empty() && o.identity_regexp.empty())
    return usage_error("give --certificate-identity or --certificate-identity-regexp");
  if (o.issuer.empty() && o.issuer_regexp.empty())
    return usage_error("give --certificate-oidc-issuer or --certificate-oidc-issuer-regexp");
  policy::IdentityRequirement req;
  TRY(req.subject, text_match(o.identity, o.identity_regexp, "certificate-identity"));
  TRY(req.issuer, text_match(o.issuer, o.issuer_regexp, "certificate-oidc-issuer"));
  const std::pair<const char*, const std::string*> github[] = {{"github-workflow-trigger", &o.gh_trigger},
                                                               {"github-workflow-sha", &o.gh_sha},
                                                               {"github-workflow-name", &o.gh_name},
                                                               {"github-workflow-repository", &o.gh_repository},
                                                               {"github-workflow-ref", &o.gh_ref}};
  for (const auto& [name, value] : github) {
    if (!value->empty()) TRY_STATUS(add_claim(req, name, *value, false));
  }
  for (const auto* list : {&o.claims, &o.claims_regexp}) {
    for (const auto& c : *list) {
      const auto eq = c.find('=');
      if (eq == std::string::npos || eq == 0)
        return usage_error("--certificate-claim wants NAME=VALUE, not \"" + c + "\"");
      TRY_STATUS(add_claim(req, c.substr(0, eq), c.substr(eq + 1), list == &o.claims_regexp));
    }
  }
  return std::optional<policy::IdentityRequirement>(std::move(req));
}

}  // namespace chartprov::cli
