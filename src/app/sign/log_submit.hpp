#pragma once
// Signing against chartprov's transparency log (`sign --log URL`): the
// signature is submitted to the log (POST URL/api/v2/log/entries, the write
// API of `chartprov log serve`) and the entry the log answers is checked
// again before anything is written: the leaf must be exactly what was
// submitted, its inclusion proof must lead to the answered checkpoint, and
// that checkpoint must be the log's (signed by --log-key when given).
//
// The request (docs/TRANSPARENCY-LOG.md):
//   {"hashedRekordRequestV002":{"digest":"<b64 SHA-256>","signature":{"content":"<b64>",
//      "verifier":{"publicKey":{"rawBytes":"<b64 SPKI>"} | "x509Certificate":{"rawBytes":"<b64 DER>"},
//                  "keyDetails":"PKIX_ECDSA_P256_SHA_256"}}},
//    "chartprov":{"chart":"web","version":"0.1.0","envelope":"sigstore-bundle"}}
//   {"helmProvRequestV001":{"chartDigest":"<b64>","provenance":"<b64 .prov>","publicKey":"<b64 OpenPGP cert>"},
//    "chartprov":{"chart":"web","version":"0.1.0","envelope":"prov"}}
#include <optional>
#include <string>

#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/pkey.hpp"
#include "tlog/chart_entry.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct LogTarget {
  std::string url;                  // the log's base URL; its host is the log's origin
  std::optional<crypto::PKey> key;  // the log's public key (--log-key); unset: the checkpoint is only parsed
  int timeout_ms = 30000;
};

// The write request for `entry` (its event.time is not sent: the log sets
// it). Refusals: tlog::chart_entry_body's (a chart name or version the log
// would refuse).
Result<std::string> log_request(const tlog::ChartEntry& entry);

// Whether the entry a log answered is the one submitted and proven in the
// log at `log`. Reads only its arguments. Refusals (verify errors, "log
// answer: ..."): another kind/version than the entry's ("the entry is of kind
// K V, not ..."); a body parse_chart_entry refuses ("the entry: " + reason);
// a body that names another chart, version, envelope, digest, signature,
// key, certificate or provenance ("the logged entry is not the one
// submitted: its FIELD differs"); no inclusion proof ("no inclusion proof");
// a proof log index other than logIndex, or a proof that does not lead to its
// root hash ("the inclusion proof does not lead to the root hash"); a
// checkpoint that does not parse (its reason), is of another tree size or root
// ("the checkpoint is for another tree than the inclusion proof"), or whose
// origin is not the URL's host ("the checkpoint's origin O is not the log
// URL's host H"); with log.key: a checkpoint that key does not sign under the
// origin ("the checkpoint is not signed by the log key"), a logId other than
// tlog::tile_log_id(key, origin) ("the entry's logId is not the log key's").
Status check_logged_entry(const sigstore::TlogEntry& logged, const tlog::ChartEntry& submitted, const LogTarget& log);

// Submits the entry and returns the checked answer. Refusals (input errors,
// "log URL: ..."): the URL is not http(s) (parse_http_url's); the log cannot
// be reached (the transport error); an answer other than 200 or 201 ("HTTP N:
// the log's error message"); an answer that is not a TransparencyLogEntry
// (parse_tlog_entry's refusals); then check_logged_entry's (verify errors).
Result<sigstore::TlogEntry> submit_to_log(const LogTarget& log, const tlog::ChartEntry& entry);

}  // namespace chartprov::app
