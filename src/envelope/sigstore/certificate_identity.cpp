#include "envelope/sigstore/certificate_identity.hpp"

#include <optional>

#include "envelope/sigstore/der_value.hpp"
#include "util/utf8.hpp"

namespace chartprov::sigstore {
namespace {

constexpr std::string_view kFulcioArc = "1.3.6.1.4.1.57264.1.";
constexpr int kIssuerLegacyArc = 1;
constexpr int kIssuerArc = 8;

std::string fulcio_oid(int arc) { return std::string(kFulcioArc) + std::to_string(arc); }

bool is_text(std::string_view s) { return is_utf8(s) && s.find('\0') == std::string_view::npos; }

// The text of the extension with this arc, nullopt when absent.
Result<std::optional<std::string>> extension_text(const crypto::Certificate& leaf, int arc, std::string_view name,
                                                  bool der) {
  const auto value = leaf.extension(fulcio_oid(arc));
  if (!value) return std::optional<std::string>();
  auto text = fulcio_extension_text(*value, der);
  if (!text.ok()) {
    return verify_error("the certificate's extension " + fulcio_oid(arc) + " (" + std::string(name) +
                        "): " + text.error().message);
  }
  return std::optional<std::string>(std::move(text).value());
}

Result<std::string> subject_of(const crypto::Certificate& leaf) {
  std::vector<std::string> names = leaf.san_uris();
  const std::vector<std::string> emails = leaf.san_emails();
  names.insert(names.end(), emails.begin(), emails.end());
  if (names.empty()) return verify_error("the certificate names no identity (no URI or email SAN)");
  if (names.size() > 1) return verify_error("the certificate names more than one identity");
  if (names.front().size() > kMaxIdentityValue || !is_text(names.front())) {
    return verify_error("the certificate's identity is not UTF-8 text");
  }
  return names.front();
}

Result<std::string> issuer_of(const crypto::Certificate& leaf) {
  TRY(const auto v2, extension_text(leaf, kIssuerArc, "issuer", true));
  TRY(const auto legacy, extension_text(leaf, kIssuerLegacyArc, "issuer (legacy)", false));
  if (v2 && legacy && *v2 != *legacy) return verify_error("the certificate's two OIDC issuer extensions differ");
  const std::string issuer = v2 ? *v2 : legacy ? *legacy : std::string();
  if (issuer.empty()) return verify_error("the certificate names no OIDC issuer");
  return issuer;
}

bool names_an_oidc_issuer(const crypto::Certificate& leaf) {
  return leaf.extension(fulcio_oid(kIssuerArc)) || leaf.extension(fulcio_oid(kIssuerLegacyArc));
}

// One name of a private CA's certificate, bounded and checked as text; nullopt when `names` is empty.
Result<std::optional<std::string>> only_name(const std::vector<std::string>& names) {
  if (names.empty()) return std::optional<std::string>();
  if (names.size() > 1) return verify_error("the certificate names more than one identity");
  if (names.front().size() > kMaxIdentityValue || !is_text(names.front())) {
    return verify_error("the certificate's identity is not UTF-8 text");
  }
  return std::optional<std::string>(names.front());
}

// A certificate from a private CA (no Fulcio issuer extension): the SAN URI,
// else the SAN email, else the subject DN; the issuer DN; no claims.
Result<CertificateIdentity> private_ca_identity(const crypto::Certificate& leaf) {
  CertificateIdentity id;
  TRY(auto uri, only_name(leaf.san_uris()));
  TRY(auto email, only_name(leaf.san_emails()));
  id.subject = uri ? *uri : email ? *email : leaf.subject_text();
  if (id.subject.empty()) return verify_error("the certificate names no identity (no URI or email SAN, no subject)");
  if (id.subject.size() > kMaxIdentityValue) return verify_error("the certificate's identity is not UTF-8 text");
  id.issuer = leaf.issuer_text();
  if (id.issuer.empty()) return verify_error("the certificate names no issuer");
  if (id.issuer.size() > kMaxIdentityValue) return verify_error("the certificate's issuer is longer than 4096 bytes");
  return id;
}

}  // namespace

const std::vector<FulcioClaim>& fulcio_claims() {
  static const std::vector<FulcioClaim> kClaims = {
      {2, "github-workflow-trigger", false},
      {3, "github-workflow-sha", false},
      {4, "github-workflow-name", false},
      {5, "github-workflow-repository", false},
      {6, "github-workflow-ref", false},
      {9, "build-signer-uri", true},
      {10, "build-signer-digest", true},
      {11, "runner-environment", true},
      {12, "source-repository-uri", true},
      {13, "source-repository-digest", true},
      {14, "source-repository-ref", true},
      {15, "source-repository-identifier", true},
      {16, "source-repository-owner-uri", true},
      {17, "source-repository-owner-identifier", true},
      {18, "build-config-uri", true},
      {19, "build-config-digest", true},
      {20, "build-trigger", true},
      {21, "run-invocation-uri", true},
      {22, "source-repository-visibility-at-signing", true},
      {23, "deployment-environment", true},
  };
  return kClaims;
}

Result<std::string> fulcio_extension_text(ByteView value, bool der) {
  ByteView text = value;
  if (der) {
    TRY(text, der_contents(value, kDerUtf8String));
  }
  if (text.size() > kMaxIdentityValue) return input_error("value longer than 4096 bytes");
  if (!is_text(as_chars(text))) return input_error("value is not UTF-8 text");
  return std::string(as_chars(text));
}

Result<CertificateIdentity> certificate_identity(const crypto::Certificate& leaf) {
  if (!names_an_oidc_issuer(leaf)) return private_ca_identity(leaf);
  CertificateIdentity id;
  TRY(id.subject, subject_of(leaf));
  TRY(id.issuer, issuer_of(leaf));
  for (const FulcioClaim& claim : fulcio_claims()) {
    TRY(auto value, extension_text(leaf, claim.arc, claim.name, claim.der));
    if (value) id.claims.emplace_back(std::string(claim.name), std::move(*value));
  }
  return id;
}

}  // namespace chartprov::sigstore
