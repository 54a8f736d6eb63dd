#pragma once
// Rekor v2 (rekor-tiles) entry bodies: the protojson of a
// dev.sigstore.rekor.v2.Entry, canonicalized. hashedrekord 0.0.2
// (spec.hashedRekordV002 {data {algorithm, digest}, signature {content,
// verifier}}) and the deprecated dsse 0.0.2 (spec.dsseV002 {payloadHash
// {algorithm, digest}, signatures [{content, verifier}]}); a verifier is
// {x509Certificate {rawBytes} | publicKey {rawBytes}, keyDetails}, DER in
// base64. A DSSE bundle logged as hashedrekord 0.0.2 ("hashedrekord-over-DSSE")
// records the digest of PAE(payloadType, payload): ExpectedEntry::signed_digest.
#include <nlohmann/json.hpp>
#include <string_view>

#include "tlog/expected_entry.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Whether kind/version is one of the Rekor v2 bodies read here.
bool is_rekor_v2_kind(std::string_view kind, std::string_view version);

// Whether `body` (a JSON object of that kind/version) describes the expected
// signature. Reads only its arguments. Refusals (verify errors):
//  - hashedrekord 0.0.2: no spec.hashedRekordV002 ("the log entry has no hashedRekordV002 spec"); a
//    data.algorithm or data.digest other than expected.signed_digest's, or none expected ("the log entry
//    records another digest");
//  - dsse 0.0.2: no spec.dsseV002 ("the log entry has no dsseV002 spec"); not exactly one signature ("the
//    dsse entry must hold one signature"); a payloadHash other than SHA2_256 of expected.payload_sha256_hex
//    ("the log entry records another payload");
//  - both: a signature content other than expected.signature ("the log entry records another signature");
//    a verifier without exactly one of x509Certificate, publicKey, or without rawBytes ("the log entry names
//    no public key or certificate"); a keyDetails other than expected.key_details when that is set ("the log
//    entry names another key algorithm"); another certificate or key (entry_verifier.hpp);
//  - hashedrekord 0.0.2 with a "chartprov" member (chartprov's log, chart_entry.hpp) and expected.chart
//    set: a member without string chart and version ("the log entry's chartprov member names no chart
//    and version"); another chart or version ("the log entry is for chart N V, not N2 V2").
Status check_rekor_v2_body(const nlohmann::json& body, std::string_view kind, std::string_view version,
                           const ExpectedEntry& expected);

}  // namespace chartprov::tlog
