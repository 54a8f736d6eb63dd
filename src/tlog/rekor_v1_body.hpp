#pragma once
// Rekor v1 entry bodies as the log canonicalized them (sigstore/rekor's
// types): hashedrekord 0.0.1, dsse 0.0.1 and intoto 0.0.2, with a public key
// or a certificate (Fulcio) as their verifier, base64 of PEM.
#include <nlohmann/json.hpp>
#include <string_view>

#include "tlog/expected_entry.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Whether kind/version is one of the Rekor v1 bodies read here.
bool is_rekor_v1_kind(std::string_view kind, std::string_view version);

// Whether `body` (a JSON object of that kind/version) describes the expected
// signature. Reads only its arguments. Refusals (verify errors), by kind:
//  - hashedrekord 0.0.1 (spec.data.hash, spec.signature.{content, publicKey.content}):
//    a hash algorithm other than sha256 ("the log entry hash is not sha256"); a value other than
//    expected.sha256_hex, or none expected ("the log entry records another artifact digest");
//  - dsse 0.0.1 (spec.payloadHash, spec.signatures[].{signature, verifier}): not exactly one signature
//    ("the dsse entry must hold one signature"); a payloadHash other than expected.payload_sha256_hex
//    ("the log entry records another payload");
//  - intoto 0.0.2 (spec.content.{payloadHash, envelope.signatures[].{sig, publicKey}}, sig base64 twice):
//    not exactly one signature ("the intoto entry must hold one signature"); another payload hash, as dsse;
//  - all: another signature ("the log entry records another signature"); no verifier ("the log entry names
//    no public key or certificate"); one that is not base64 ("the log entry's key is not base64"), not
//    one PEM block, or not the expected one (entry_verifier.hpp).
Status check_rekor_v1_body(const nlohmann::json& body, std::string_view kind, std::string_view version,
                           const ExpectedEntry& expected);

}  // namespace chartprov::tlog
