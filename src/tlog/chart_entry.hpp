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

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxChartEntry = 60u << 10;  // under an entry bundle's 65535
inline constexpr std::size_t kMaxChartName = 253;
inline constexpr std::size_t kMaxChartVersion = 128;

enum class EntryKind { hashedrekord, helm_prov };

// What the entry says of the chart: its name and version (Chart.yaml), which
// envelope signed it ("sigstore-bundle", "prov"), and when it was logged.
struct ChartEvent {
  std::string chart;
  std::string version;
  std::string envelope;
  std::int64_t time = 0;
};

struct ChartEntry {
  EntryKind kind = EntryKind::hashedrekord;
  ChartEvent event;
  Bytes digest;  // SHA-256 of the chart archive (hashedrekord: of what was signed)
  // hashedrekord
  Bytes signature;
  Bytes public_key;         // DER SubjectPublicKeyInfo; empty with a certificate
  Bytes certificate;        // DER; empty with a public key
  std::string key_details;  // protobuf-specs PublicKeyDetails ("PKIX_ECDSA_P256_SHA_256")
  // helm_prov
  Bytes provenance;   // the .prov file
  Bytes openpgp_key;  // the signer's OpenPGP certificate (binary)
};

// Refusals (input errors, "log entry: ..."): a chart name empty, longer than
// kMaxChartName or with a character outside [A-Za-z0-9._-]; a version empty,
// longer than kMaxChartVersion or with a character that is not printable
// ASCII or is a space; an envelope other than the two; a digest not 32 bytes;
// hashedrekord: no signature, not exactly one of public key and certificate,
// an empty key_details; helm_prov: no provenance or no key; a body longer than
// kMaxChartEntry.
Result<std::string> chart_entry_body(const ChartEntry& entry);

// Reads a leaf chart_entry_body() wrote. Refusals (input errors): over
// kMaxChartEntry; not JSON (bounded nesting); not canonical (the bytes differ
// from chart_entry_body() of what was read: "log entry: not in canonical
// form"); an unknown kind/apiVersion; any member missing or of the wrong type;
// base64 that does not decode; the refusals of chart_entry_body().
Result<ChartEntry> parse_chart_entry(ByteView leaf);

}  // namespace chartprov::tlog
