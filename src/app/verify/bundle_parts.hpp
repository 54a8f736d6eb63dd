#pragma once
// The steps every Sigstore bundle goes through, whoever vouches for its key
// (a public key given, or a certificate): the signed content against the
// key, then the transparency-log entries and RFC 3161 timestamps against the
// Sigstore trusted root, which give the signing times that can be believed.
// Internal to app/verify (bundle_verify.hpp, certificate_bundle.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/pkey.hpp"
#include "policy/evidence.hpp"
#include "tlog/rekor_entry.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct SignedContent {
  std::string content;           // "message-signature" | "dsse"
  tlog::ExpectedEntry expected;  // what every log entry must describe
  Bytes signed_bytes;            // what a timestamp covers: the signature
};

// The signature over the artifact (message signatures: the digest must be
// the artifact's) or over the DSSE envelope's PAE, with `key`; for DSSE, the
// in-toto statement must name subject_hex (or the artifact's SHA-256) as a
// subject when either is given. Refusals (verify errors): a message bundle
// without the artifact, a digest or signature that does not match, a DSSE
// payload that is not an in-toto statement naming the digest.
Result<SignedContent> check_signed_content(const sigstore::Bundle& bundle, std::optional<ByteView> artifact,
                                           const std::optional<std::string>& subject_hex, const crypto::PKey& key);

struct SignedTimes {
  int tlog_entries_verified = 0;
  int timestamps_verified = 0;
  std::optional<std::int64_t> integrated_time;  // the last verified entry's, SET or not (reports)
  // Times a third party signed for: integrated times under a verified signed
  // entry timestamp, the time an entry of chartprov's own log was sequenced
  // (inside the tree its verified checkpoint signs), and verified RFC 3161
  // times. An integrated time with no SET is the bundle's word only and is not
  // here.
  std::vector<std::int64_t> verified_times;
  // Each verified entry: its log, and the checkpoint its inclusion proof ends in.
  std::vector<policy::LogInclusion> entries;
};

inline constexpr std::size_t kMaxTimestamps = 32;

// The entry's inclusion proof leads to its checkpoint's root, and the
// checkpoint is `log`'s (a tile log, Rekor v2 or chartprov's: origin and
// signer name the log's origin; Rekor v1: the name its origin gives). ""
// when it holds, and `inclusion` is filled; else why not ("the log entry has
// no inclusion proof", "the inclusion proof does not lead to the root hash",
// the checkpoint's parse refusal, "the checkpoint is for another tree than
// the inclusion proof", "the checkpoint's origin is not the log's", "the
// checkpoint is not signed by the log").
std::string check_inclusion(const sigstore::TlogEntry& entry, const sigstore::TransparencyLog& log, bool tile_log,
                            policy::LogInclusion& inclusion);

// Every log entry must name a log of the root and verify (body, inclusion
// proof and checkpoint, signed entry timestamp; an entry of chartprov's log
// logged outside its log key's validity is refused); when the root lists logs at
// least one entry must. A timestamp counts when it verifies against one of
// the root's timestamp authorities, within its validity; one that does not
// is skipped (it vouches for nothing), as sigstore-go and sigstore-python
// do, but a bundle whose timestamps all fail is refused. Refused too: more
// than kMaxTimestamps timestamps, the same timestamp twice.
Result<SignedTimes> check_log_and_timestamps(const sigstore::Bundle& bundle, const sigstore::TrustedRoot& root,
                                             const SignedContent& content);

}  // namespace chartprov::app
