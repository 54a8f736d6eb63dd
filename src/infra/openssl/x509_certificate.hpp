#pragma once
// X.509 certificates as owned, immutable values: the Fulcio leaf of a keyless
// Sigstore bundle and the CA chains of a trusted root (FORMAT.md D2). OpenSSL
// stays in this folder: callers see a Certificate, bytes and strings; the raw
// X509 is for infra only.
//
// What a Fulcio leaf looks like, and is accepted here: an empty subject with a
// critical subjectAltName (one URI or email), custom non-critical extensions
// under 1.3.6.1.4.1.57264, and an embedded SCT list (RFC 6962 3.3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

struct x509_st;  // OpenSSL's X509

namespace chartprov::crypto {

// The largest DER certificate read (a Fulcio leaf is about 2 KiB).
inline constexpr std::size_t kMaxCertificate = 64u << 10;

// The embedded SCT list extension (RFC 6962 3.3).
inline constexpr std::string_view kSctListOid = "1.3.6.1.4.1.11129.2.4.2";

class Certificate {
 public:
  // One DER certificate, the whole input. Refusals (input errors): empty
  // ("empty certificate"); over kMaxCertificate ("certificate larger than 64
  // KiB"); not a DER X.509 certificate ("not a DER X.509 certificate"); bytes
  // after it ("trailing bytes after the certificate"); a validity time OpenSSL
  // cannot read ("the certificate has no valid validity period"); an extension
  // that appears twice ("the certificate repeats an extension", RFC 5280 4.2).
  static Result<Certificate> parse_der(ByteView der);

  // Copies share the one immutable X509 (reference counted).
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&& other) noexcept;
  Certificate& operator=(Certificate&& other) noexcept;
  ~Certificate();

  // The DER bytes it was parsed from, unchanged.
  const Bytes& der() const { return der_; }
  // Validity (unix seconds; both ends inclusive, RFC 5280 4.1.2.5).
  std::int64_t not_before() const { return not_before_; }
  std::int64_t not_after() const { return not_after_; }

  // The subject public key. Refusals: parse_spki_der's (a key type OpenSSL
  // does not know).
  Result<PKey> public_key() const;
  // The DER SubjectPublicKeyInfo as the certificate carries it (the bytes an
  // SCT's issuer key hash is the SHA-256 of).
  Bytes spki_der() const;
  // The subject DN as one line (RFC 2253), "" for an empty subject: for
  // messages, and the identity of a certificate that names no other.
  std::string subject_text() const;
  // The issuer DN, the same way: the issuer a private CA's certificate names.
  std::string issuer_text() const;

  // subjectAltName entries of one kind, in order: URIs, rfc822Names. Empty when
  // the certificate has no SAN (or one OpenSSL cannot decode).
  std::vector<std::string> san_uris() const;
  std::vector<std::string> san_emails() const;

  // The contents of the extnValue OCTET STRING of the extension with this OID
  // (dotted, e.g. "1.3.6.1.4.1.57264.1.8"), or nullopt when the certificate
  // has none (or the OID is not dotted decimal). parse_der refuses repeated
  // extensions, so there is at most one.
  std::optional<Bytes> extension(std::string_view dotted_oid) const;

  // Whether basicConstraints says cA: TRUE (RFC 5280 4.2.1.9). A certificate
  // without the extension is no CA here (unlike OpenSSL's v1 self-signed rule).
  bool is_ca() const;

  // Whether extendedKeyUsage lists id-kp-codeSigning. A certificate without
  // the extension has no code-signing EKU here (unlike OpenSSL's "any use").
  bool has_code_signing_eku() const;

  // The DER TBSCertificate with the embedded SCT list extension removed: what
  // a CT log signed for this certificate's precertificate (RFC 6962 3.2).
  // Refusals: no SCT list extension ("the certificate carries no embedded
  // SCTs"); OpenSSL failing to re-encode it (internal).
  Result<Bytes> precert_tbs() const;

  // Whether `child` names this certificate as its issuer (issuer name, and
  // authority key identifier when present) and its signature verifies with
  // this certificate's key. Nothing else (validity, CA flags) is checked here.
  bool issued(const Certificate& child) const;

  // For infra only: the X509, owned by this object.
  x509_st* get() const { return x509_; }

 private:
  Certificate(x509_st* owned, Bytes der, std::int64_t not_before, std::int64_t not_after);
  x509_st* x509_ = nullptr;
  Bytes der_;
  std::int64_t not_before_ = 0;
  std::int64_t not_after_ = 0;
};

// Whether `leaf` chains to ca_chain.back() through ca_chain[0..n-2] (a Sigstore
// trusted root's certChain: intermediates first, the root last; the root is
// the one trust anchor, trusted as given even when not self-signed; the
// intermediates are only candidates for the path) as of time `at` (unix
// seconds): the leaf and every certificate on the path must be valid at
// `at`, and every signature must verify. With require_code_signing, the leaf
// must also carry the code-signing EKU. Certificates a bundle carries are
// never passed here: only the trusted root's. Refusals (verify errors unless
// said): an empty ca_chain ("the certificate authority has no certificates",
// input error); the leaf not valid at `at` ("the signing certificate is not
// valid at <RFC 3339 time>"); a CA certificate not valid at `at` ("a
// certificate authority certificate is not valid at <time>"); no path to the
// root ("the signing certificate does not chain to the certificate
// authority"); any other failure of the path ("the certificate chain does not
// verify: <OpenSSL's reason>"); no code-signing EKU ("the signing certificate
// is not for code signing (no codeSigning extended key usage)").
[[nodiscard]] Status verify_certificate_chain(const Certificate& leaf, const std::vector<Certificate>& ca_chain,
                                              std::int64_t at, bool require_code_signing);

// The certificate of ca_chain that issued `leaf` (Certificate::issued), the
// first if several did, or nullptr: whose key an SCT's issuer key hash names.
const Certificate* find_issuer(const Certificate& leaf, const std::vector<Certificate>& ca_chain);

}  // namespace chartprov::crypto
