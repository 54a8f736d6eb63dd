#pragma once
// Verifying a Sigstore bundle signed with a certificate (issue 16): a keyless
// Fulcio certificate, or one from a team's own CA, against the Sigstore
// trusted root that lists the CA. In order:
//   1. the signature (message or DSSE) with the certificate's key;
//   2. every transparency-log entry (its body must name this certificate,
//      signature and digest) and timestamp (bundle_parts.hpp);
//   3. the signing times: SET-backed integrated times and RFC 3161 times,
//      never the clock alone -- unless the trusted root lists neither logs
//      nor timestamp authorities (a private CA), when the certificate must
//      be valid now;
//   4. at every signing time, the chain to a CA of the root valid then, with
//      the code-signing EKU;
//   5. when the root lists CT logs, at least one embedded SCT by one of them;
//   6. the identity the certificate names (subject, OIDC issuer, Fulcio's CI
//      claims) is returned: the caller's policy decides whether it counts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "tlog/expected_entry.hpp"
#include "util/bytes.hpp"

namespace chartprov::app {

// artifact: the bytes signed (a message signature needs them; for DSSE the
// statement must name their SHA-256). subject_hex: for DSSE without the
// artifact, the digest the statement must name (absent: not checked, the
// subjects are reported). chart: when given, an entry of chartprov's own
// log must name this chart and version (tlog/expected_entry.hpp). Never an
// Error: a bundle that does not parse or verify is a BundleCheck with its
// reason.
BundleCheck verify_certificate_bundle(std::optional<ByteView> artifact, const std::optional<std::string>& subject_hex,
                                      std::string_view bundle_json, const sigstore::TrustedRoot& root, std::int64_t now,
                                      const tlog::ExpectedChart* chart = nullptr);

}  // namespace chartprov::app
