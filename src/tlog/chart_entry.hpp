#pragma once
// The entries of chartprov's transparency log: one per signing event, the
// leaf bytes themselves (what leaf_hash() hashes and entry bundles carry).
//
// A signature over a chart archive is a Rekor v2 hashedrekord 0.0.2 body, so
// that Sigstore verifiers read it as they read Rekor v2's, with one member
// more, "chartprov", that names the chart the signature is for:
//
//   {"apiVersion":"0.0.2",
//    "chartprov":{"chart":"web","envelope":"sigstore-bundle","time":1765000000,"version":"0.1.0"},
//    "kind":"hashedrekord",
//    "spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest":"<b64>"},
//            "signature":{"content":"<b64>","verifier":{"keyDetails":"PKIX_ECDSA_P256_SHA_256",
//                         "publicKey":{"rawBytes":"<b64 SPKI>"}}}}}}       (or x509Certificate)
//
// A Helm provenance file is kind "helmprov", apiVersion "0.0.1", spec
// {"helmProvV001":{"chartDigest":{"algorithm":"SHA2_256","digest":"<b64>"},
// "provenance":"<b64 .prov>","publicKey":"<b64 OpenPGP certificate>"}}.
//
// The text is canonical: members sorted, no white space, so the same entry is
// always the same bytes. `time` is the log's clock when it sequenced the
// entry (unix seconds), not the signer's claim.
#include <cstdint>
#include <string>

#include "tlog/chart_entry_types.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Refusals (input errors, "log entry: ..."): a chart name empty, longer than
// kMaxChartName or with a character outside [A-Za-z0-9._-]; a version empty,
// longer than kMaxChartVersion or with a character that is not printable
// ASCII or is a space, '"' or '\\'; an envelope other than the two; a digest
// not 32 bytes; hashedrekord: no signature, not exactly one of public key and
// certificate, a key_details that is not a name of [A-Z0-9_]; helm_prov: no provenance or no key; a body longer than
// kMaxChartEntry.
Result<std::string> chart_entry_body(const ChartEntry& entry);

// Reads a leaf chart_entry_body() wrote (chart_entry_scan.hpp first, the
// JSON parser when that does not match). Refusals (input errors): over
// kMaxChartEntry; not JSON (bounded nesting); not canonical (the bytes differ
// from chart_entry_body() of what was read: "log entry: not in canonical
// form"); an unknown kind/apiVersion; any member missing or of the wrong type;
// base64 that does not decode; the refusals of chart_entry_body().
Result<ChartEntry> parse_chart_entry(ByteView leaf);

}  // namespace chartprov::tlog
