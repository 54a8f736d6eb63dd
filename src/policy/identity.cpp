#include "policy/identity.hpp"

#include <algorithm>
#include <array>

namespace chartprov::policy {
namespace {

constexpr std::array<std::string_view, 20> kClaims = {"github-workflow-trigger",
                                                      "github-workflow-sha",
                                                      "github-workflow-name",
                                                      "github-workflow-repository",
                                                      "github-workflow-ref",
                                                      "build-signer-uri",
                                                      "build-signer-digest",
                                                      "runner-environment",
                                                      "source-repository-uri",
                                                      "source-repository-digest",
                                                      "source-repository-ref",
                                                      "source-repository-identifier",
                                                      "source-repository-owner-uri",
                                                      "source-repository-owner-identifier",
                                                      "build-config-uri",
                                                      "build-config-digest",
                                                      "build-trigger",
                                                      "run-invocation-uri",
                                                      "source-repository-visibility-at-signing",
                                                      "deployment-environment"};

Status check_text(std::string_view what, std::string_view text) {
  if (text.empty()) return input_error(std::string(what) + " is empty");
  if (text.size() > kMaxIdentityText)
    return input_error(std::string(what) + " is longer than " + std::to_string(kMaxIdentityText) + " bytes");
  return ok_status();
}

}  // namespace

const std::string* SignerIdentity::claim(std::string_view name) const {
  for (const auto& [k, v] : claims) {
    if (k == name) return &v;
  }
  return nullptr;
}

Result<TextMatch> TextMatch::exact(std::string value) {
  TRY_STATUS(check_text("an identity value", value));
  TextMatch m;
  m.text_ = std::move(value);
  return m;
}

Result<TextMatch> TextMatch::regexp(std::string pattern) {
  TRY_STATUS(check_text("an identity pattern", pattern));
  TextMatch m;
  try {
    m.re_ = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return input_error("the regular expression \"" + pattern + "\" does not compile: " + e.what());
  }
  m.text_ = std::move(pattern);
  return m;
}

bool TextMatch::matches(std::string_view value) const {
  if (value.empty() || value.size() > kMaxIdentityText) return false;
  if (re_ == nullptr) return value == text_;
  try {
    return std::regex_match(value.begin(), value.end(), *re_);
  } catch (const std::regex_error&) {
    return false;  // complexity or stack limits: no match
  }
}

std::string TextMatch::describe() const { return re_ == nullptr ? text_ : "/" + text_ + "/"; }

bool IdentityRequirement::matches(const SignerIdentity& id) const {
  if (!subject.matches(id.subject) || !issuer.matches(id.issuer)) return false;
  return std::all_of(claims.begin(), claims.end(), [&](const auto& c) {
    const std::string* v = id.claim(c.first);
    return v != nullptr && c.second.matches(*v);
  });
}

std::string IdentityRequirement::describe() const {
  std::string out = subject.describe() + " (issuer " + issuer.describe();
  for (const auto& [name, m] : claims) out += ", " + name + " " + m.describe();
  return out + ")";
}

bool is_known_claim(std::string_view name) { return std::find(kClaims.begin(), kClaims.end(), name) != kClaims.end(); }

}  // namespace chartprov::policy
