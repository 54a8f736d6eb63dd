#pragma once
// Who a Fulcio certificate was issued to: its subject (the one SAN), the OIDC
// issuer that vouched for it, and the CI claims Fulcio copies from the token
// into extensions under 1.3.6.1.4.1.57264.1 (sigstore/fulcio docs/oid-info.md).
// What a keyless verification compares with the policy's identity and issuer.
// A certificate from a private CA names its subject and issuer by its SAN and
// DNs instead (certificate_identity below). Read from a certificate whose
// chain was checked: nothing here is trusted on its own.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "infra/openssl/x509_certificate.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

// The longest subject, issuer or claim value read (a URL of a workflow run is
// about 150 bytes).
inline constexpr std::size_t kMaxIdentityValue = 4096;

struct CertificateIdentity {
  // The SAN: URI, else email (Fulcio writes exactly one); a private CA's leaf
  // without a SAN: its subject DN.
  std::string subject;
  // OIDC issuer: extension 1.3.6.1.4.1.57264.1.8, else the legacy .1.1; a
  // private CA's leaf: its issuer DN.
  std::string issuer;
  // The claims the certificate carries, in OID order, by their kebab-case name
  // (fulcio_claim_names below), e.g. {"source-repository-ref", "refs/heads/main"}.
  std::vector<std::pair<std::string, std::string>> claims;
};

// The Fulcio claim extensions read (the two issuer OIDs are `issuer`, not
// claims): the last arc under 1.3.6.1.4.1.57264.1, its name, and whether the
// value is a DER UTF8String (.8 on) or the raw bytes (.1 to .6, deprecated).
struct FulcioClaim {
  int arc;
  std::string_view name;
  bool der;
};
const std::vector<FulcioClaim>& fulcio_claims();

// The text of one extension value: a DER UTF8String when `der`, else the raw
// bytes. Refusals (input errors, without naming the extension): DER that is
// not one UTF8String (der_value.hpp's refusals); a value over
// kMaxIdentityValue bytes ("value longer than 4096 bytes"); bytes that are not
// UTF-8, or a NUL ("value is not UTF-8 text").
Result<std::string> fulcio_extension_text(ByteView value, bool der);

// The identity of a leaf.
//
// A Fulcio leaf (one with an OIDC issuer extension, .1.8 or .1.1): the one
// SAN, the OIDC issuer and the claims. Refusals (verify errors): no URI or
// email SAN ("the certificate names no identity (no URI or email SAN)"); more
// than one ("the certificate names more than one identity"); a SAN over
// kMaxIdentityValue bytes, not UTF-8 or with a NUL ("the certificate's
// identity is not UTF-8 text"); an issuer or claim extension that
// fulcio_extension_text refuses ("the certificate's extension
// 1.3.6.1.4.1.57264.1.N (NAME): " + that refusal); both issuer extensions
// present with different values ("the certificate's two OIDC issuer extensions
// differ"); an empty issuer ("the certificate names no OIDC issuer").
//
// A leaf from a private CA (no OIDC issuer extension; docs/KEY-MANAGEMENT.md,
// "Signing with your own CA"): subject = its SAN URI, else its SAN email, else
// its subject DN (RFC 2253, Certificate::subject_text); issuer = its issuer DN
// (RFC 2253); no claims (they are Fulcio's copies of an OIDC token). Refusals
// (verify errors): more than one URI, or no URI and more than one email ("the
// certificate names more than one identity"); a SAN over kMaxIdentityValue
// bytes, not UTF-8 or with a NUL, or a subject DN over kMaxIdentityValue ("the
// certificate's identity is not UTF-8 text"); no SAN and an empty subject
// ("the certificate names no identity (no URI or email SAN, no subject)"); an
// empty issuer DN ("the certificate names no issuer"); one over
// kMaxIdentityValue ("the certificate's issuer is longer than 4096 bytes").
Result<CertificateIdentity> certificate_identity(const crypto::Certificate& leaf);

}  // namespace chartprov::sigstore
