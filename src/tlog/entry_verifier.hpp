#pragma once
// The key or certificate a transparency-log entry body names as the one that
// verified its signature, and its comparison with the bundle's.
#include <string_view>

#include "tlog/expected_entry.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

struct EntryVerifier {
  enum class Kind { kPublicKey, kCertificate };
  Kind kind = Kind::kPublicKey;
  Bytes der;  // a DER SubjectPublicKeyInfo or a DER certificate, as the body gives it
};

// A Rekor v1 body's verifier: one PEM block, "PUBLIC KEY" or "CERTIFICATE"
// (what Go's pem.Encode writes: base64 lines between the BEGIN and END lines;
// blanks and CR in the body skipped, as Go's pem.Decode skips them), blank
// lines around it allowed. Reads only `pem`.
// Refusals (verify errors): no PEM block, another label, a second block or
// other text around it, a body that is not base64 ("the log entry's key is not
// one PEM public key or certificate").
Result<EntryVerifier> verifier_from_pem(std::string_view pem);

// Whether `found` is what verified the bundle's signature: with
// expected.certificate_der, a certificate with exactly those DER bytes; else
// with expected.spki, a public key that is that key (compared as the one
// canonical SPKI, so another encoding of the same key matches). Refusals
// (verify errors): a key where a certificate is expected or the other way
// round ("the log entry names a public key, not the bundle's certificate",
// "... a certificate, not the bundle's public key"); another certificate ("the
// log entry names another certificate"); a key that does not parse or another
// key ("the log entry names another public key"); neither expected
// ("nothing to compare the log entry's key with").
Status check_verifier(const EntryVerifier& found, const ExpectedEntry& expected);

}  // namespace chartprov::tlog
