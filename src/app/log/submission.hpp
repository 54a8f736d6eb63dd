#pragma once
// A write request to the log (POST /api/v2/log/entries), read and checked
// before anything is logged: the log vouches only for signatures that verify.
//
//   {"hashedRekordRequestV002":{"digest":"<b64 SHA-256>","signature":{"content":"<b64>",
//      "verifier":{"publicKey":{"rawBytes":"<b64 SPKI>"} | "x509Certificate":{"rawBytes":"<b64 DER>"},
//                  "keyDetails":"PKIX_ECDSA_P256_SHA_256"}}},
//    "chartprov":{"chart":"web","version":"0.1.0","envelope":"sigstore-bundle"}}
//
//   {"helmProvRequestV001":{"chartDigest":"<b64 SHA-256>","provenance":"<b64 .prov>",
//      "publicKey":"<b64 binary OpenPGP certificate>"},
//    "chartprov":{"chart":"web","version":"0.1.0","envelope":"prov"}}
#include <cstdint>
#include <string_view>

#include "tlog/chart_entry.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

inline constexpr std::size_t kMaxSubmission = 64u << 10;

struct Submission {
  tlog::ChartEntry entry;  // event.time is 0: the sequencer sets the log's clock
  Bytes dedupe;            // SHA-256 of the entry's canonical body with time 0: one key per content
};

// Reads and checks a request. `now` (unix seconds) judges a .prov signature's
// creation and expiry times. Refusals (input errors, "submission: ..."):
//  - over kMaxSubmission ("larger than 64 KiB");
//  - not JSON, nested too deep, or not an object ("not a JSON object");
//  - a member the shapes above do not have ("<where> has an unknown member");
//  - not exactly one of hashedRekordRequestV002 and helmProvRequestV001 ("exactly one of
//    hashedRekordRequestV002 and helmProvRequestV001");
//  - a member missing or not a string / object ("<where>.<name> is missing or not a string|object");
//  - a value that is not base64 ("<where>.<name> is not base64");
//  - a digest that is not 32 bytes ("the digest is not a SHA-256 (32 bytes)");
//  - an empty signature ("the signature is empty");
//  - a verifier without exactly one of publicKey and x509Certificate ("the verifier needs exactly one of
//    publicKey and x509Certificate");
//  - a certificate that does not parse ("the certificate: " + Certificate::parse_der's refusal);
//  - a keyDetails that is unknown or not the key's (sigstore::parse_log_key's refusals);
//  - an Ed25519 key ("Ed25519 signs the chart, not its digest: the log cannot check it");
//  - a signature that does not verify over the digest with the key, as the key's algorithm signs a
//    SHA-256 digest (RSA PKCS#1 v1.5, ECDSA DER) ("the signature does not verify over the digest");
//  - an envelope other than "sigstore-bundle" for hashedrekord, "prov" for helmprov ("a hashedrekord
//    entry is a sigstore-bundle" / "a helmprov entry is a prov");
//  - helmprov: a provenance over envelope::prov::kMaxProvFile ("the provenance is larger than 1 MiB"); a
//    key that is not one binary OpenPGP certificate ("the public key is not one OpenPGP certificate"); a
//    .prov not signed by the certificate's primary key ("the provenance is not signed by the
//    certificate's primary key"), or signed but refused (verify_prov_with_key's reasons: its digest is
//    not the chart digest named, its chart name or version is not chartprov's, a weak hash, a
//    signature dated in the future or expired), "the provenance: " + reason;
//  - tlog::chart_entry_body's refusals (chart name and version characters and lengths, the entry size,
//    measured with the widest time the log could write).
Result<Submission> parse_submission(std::string_view body, std::int64_t now);

// The dedupe key of an entry: SHA-256 of chart_entry_body(entry) with its time set to 0.
Result<Bytes> dedupe_key(const tlog::ChartEntry& entry);

}  // namespace chartprov::app::log
