#pragma once
// Keyless signers (issue 16): who a Sigstore certificate says signed, and
// what a policy or trust root requires of it. A Fulcio certificate names an
// OIDC issuer, a subject (the SAN: a workflow URI or an email) and the CI
// claims Fulcio copied from the token (source repository, ref, workflow,
// trigger...), each by its Fulcio name ("source-repository-ref"). Pure: the
// certificate is read in app/ and only its identity comes here.
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace chartprov::policy {

// What a verified certificate says (sigstore::CertificateIdentity, copied).
struct SignerIdentity {
  std::string subject;
  std::string issuer;
  std::vector<std::pair<std::string, std::string>> claims;  // Fulcio claim name, value
  const std::string* claim(std::string_view name) const;
};

// One text requirement: exactly equal, or matched whole by an anchored
// regular expression (ECMAScript, as std::regex_match: the pattern must
// cover the entire value; "^" and "$" are allowed and change nothing).
class TextMatch {
 public:
  static Result<TextMatch> exact(std::string value);
  static Result<TextMatch> regexp(std::string pattern);
  bool matches(std::string_view value) const;
  bool is_regexp() const { return re_ != nullptr; }
  const std::string& text() const { return text_; }  // the value or the pattern, for reports
  std::string describe() const;                      // "x" or "/x/"

 private:
  std::string text_;
  std::shared_ptr<const std::regex> re_;
};

inline constexpr std::size_t kMaxIdentityText = 1024;  // longer values never match; longer patterns are refused

// A keyless signer a policy rule or the trust root accepts: the subject and
// the issuer (both required: an identity without its issuer could come from
// any OIDC provider Fulcio trusts), and every claim listed.
struct IdentityRequirement {
  TextMatch subject;
  TextMatch issuer;
  std::vector<std::pair<std::string, TextMatch>> claims;
  bool matches(const SignerIdentity& id) const;
  std::string describe() const;  // "SUBJECT (issuer ISSUER)"
};

// The claim names a requirement may use: Fulcio's extension names
// (1.3.6.1.4.1.57264.1.2-.1.6 and .1.9 onward).
bool is_known_claim(std::string_view name);

// The refusals of TextMatch::regexp: an empty or over-long pattern, one
// std::regex cannot compile. exact(): an empty or over-long value.
}  // namespace chartprov::policy
