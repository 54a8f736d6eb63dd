#include "app/verify/bundle_parts.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/openssl/timestamp.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "util/encoding.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

// The bundle parser admits SHA2_256, SHA2_384 and SHA2_512 only.
crypto::DigestAlg digest_alg_of(const std::string& alg) {
  if (alg == "SHA2_384") return crypto::DigestAlg::kSha384;
  if (alg == "SHA2_512") return crypto::DigestAlg::kSha512;
  return crypto::DigestAlg::kSha256;
}

Result<Bytes> digest_with(const std::string& alg, ByteView data) {
  if (alg != "SHA2_256" && alg != "SHA2_384" && alg != "SHA2_512") return input_error("unsupported digest " + alg);
  TRY(auto d, crypto::Digest::create(digest_alg_of(alg)));
  d.update(data);
  return d.finish();
}

std::string digest_name(crypto::DigestAlg alg) {
  switch (alg) {
    case crypto::DigestAlg::kSha384: return "SHA2_384";
    case crypto::DigestAlg::kSha512: return "SHA2_512";
    default: return "SHA2_256";
  }
}

// The in-toto statement must name the digest as a subject.
std::string subject_refusal(const Bytes& payload, std::string_view sha256_hex) {
  const auto st = parse_untrusted_json(payload);
  if (!st.is_object() || !st.contains("subject") || !st["subject"].is_array()) {
    return "the DSSE payload is not an in-toto statement";
  }
  for (const auto& s : st["subject"]) {
    if (s.is_object() && s.contains("digest") && s["digest"].is_object() && s["digest"].contains("sha256") &&
        s["digest"]["sha256"].is_string() && s["digest"]["sha256"].get<std::string>() == sha256_hex) {
      return "";
    }
  }
  return "the in-toto statement does not name sha256:" + std::string(sha256_hex) + " as a subject";
}

// Says when, against which window: a trusted root written after the log started
// (log trusted-root without --valid-from) refuses every older entry this way.
std::string logged_outside(std::int64_t time, const sigstore::ValidFor& valid) {
  std::string why = "the entry was logged at " + format_rfc3339(time) + ", outside the log key's validity (from " +
                    format_rfc3339(valid.start);
  if (valid.end) why += " to " + format_rfc3339(*valid.end);
  why += ")";
  if (time < valid.start) why += "; was the trusted root made after the log started? (log trusted-root --valid-from)";
  return why;
}

// One log entry against the root; empty when it verifies. `verified_time`:
// the integrated time, when a signed entry timestamp vouches for it.
std::string check_entry(const sigstore::TlogEntry& e, const sigstore::TrustedRoot& root,
                        const tlog::ExpectedEntry& expected, std::optional<std::int64_t>& verified_time,
                        policy::LogInclusion& inclusion) {
  const sigstore::TransparencyLog* log = root.find_log(e.log_id);
  if (log == nullptr) return "the log entry's log " + base64_encode(e.log_id) + " is not in the trusted root";
  inclusion.log_id = hex_encode(e.log_id);
  inclusion.origin = log->origin;
  inclusion.base_url = log->base_url;
  if (auto body = tlog::check_entry_body(e.body, e.kind, e.version, expected); !body) return body.error().message;
  bool proven = false;
  if (e.proof) {
    // A Rekor v2 (tile) log names itself by its host: the checkpoint's origin and signer name.
    const bool tile_log = (e.kind == "hashedrekord" || e.kind == "dsse") && e.version == "0.0.2";
    if (auto why = check_inclusion(e, *log, tile_log, inclusion); !why.empty()) return why;
    proven = true;
    // An entry of chartprov's own log carries the time the log sequenced it, inside the tree
    // the log signed: the log vouches for that time as Rekor v1 does with a signed entry
    // timestamp (docs/TRANSPARENCY-LOG.md). Rekor v2's own entries carry none.
    if (tile_log) {
      if (auto entry = tlog::parse_chart_entry(e.body); entry.ok()) {
        if (!log->valid.contains(entry->event.time)) return logged_outside(entry->event.time, log->valid);
        verified_time = entry->event.time;
      }
    }
  }
  if (e.signed_entry_timestamp) {
    if (!e.integrated_time) return "a signed entry timestamp without integratedTime";
    if (!tlog::verify_signed_entry_timestamp(log->key, e.body, *e.integrated_time, e.log_id, e.log_index,
                                             *e.signed_entry_timestamp)) {
      return "the signed entry timestamp does not verify";
    }
    verified_time = e.integrated_time;
    proven = true;
  }
  if (!proven) return "the log entry has neither an inclusion proof nor a signed entry timestamp";
  if (e.integrated_time && !log->valid.contains(*e.integrated_time)) {
    return "the entry was integrated outside the log key's validity";
  }
  return "";
}

// The time one RFC 3161 timestamp vouches for, from the first authority of
// the root it verifies against.
Result<std::int64_t> check_timestamp(ByteView ts, const sigstore::TrustedRoot& root, ByteView signed_bytes) {
  std::string why = "no timestamp authority in the trusted root";
  for (const auto& tsa : root.timestamp_authorities) {
    auto when = crypto::verify_rfc3161_timestamp(ts, signed_bytes, tsa.chain);
    if (when.ok() && tsa.valid.contains(*when)) return *when;
    why = when.ok() ? "the timestamp is outside its authority's validity" : when.error().message;
  }
  return verify_error("timestamp: " + why);
}

}  // namespace

std::string check_inclusion(const sigstore::TlogEntry& e, const sigstore::TransparencyLog& log, bool tile_log,
                            policy::LogInclusion& inclusion) {
  if (!e.proof) return "the log entry has no inclusion proof";
  const auto& p = *e.proof;
  if (p.log_index < 0 || p.tree_size <= 0 ||
      !tlog::verify_inclusion(static_cast<std::uint64_t>(p.log_index), static_cast<std::uint64_t>(p.tree_size),
                              tlog::leaf_hash(e.body), p.hashes, p.root_hash)) {
    return "the inclusion proof does not lead to the root hash";
  }
  auto cp = tlog::parse_checkpoint(p.checkpoint);
  if (!cp) return cp.error().message;
  if (cp->size != static_cast<std::uint64_t>(p.tree_size) || cp->root_hash != p.root_hash) {
    return "the checkpoint is for another tree than the inclusion proof";
  }
  if (tile_log && cp->origin != log.origin) return "the checkpoint's origin is not the log's";
  if (!(tile_log ? tlog::checkpoint_signed_by(*cp, log.key, log.origin) : tlog::checkpoint_signed_by(*cp, log.key))) {
    return "the checkpoint is not signed by the log";
  }
  inclusion.log_id = hex_encode(e.log_id);
  inclusion.origin = log.origin;
  inclusion.base_url = log.base_url;
  inclusion.checkpoint = p.checkpoint;
  inclusion.tree_size = cp->size;
  return "";
}

Result<SignedContent> check_signed_content(const sigstore::Bundle& b, std::optional<ByteView> artifact,
                                           const std::optional<std::string>& subject_hex, const crypto::PKey& key) {
  SignedContent c;
  if (auto spki = crypto::spki_der(key); spki.ok()) c.expected.spki = *spki;
  if (b.message) {
    c.content = "message-signature";
    const auto& m = *b.message;
    if (!artifact) return verify_error("a message-signature bundle needs the artifact");
    auto digest = digest_with(m.digest_algorithm, *artifact);
    if (!digest || *digest != m.digest) return verify_error("the bundle's messageDigest is not the artifact's digest");
    // ECDSA and RSA sign the digest the bundle names (a P-384 Fulcio key over SHA-256, as
    // sigstore-python and sigstore-js sign); Ed25519 signs the message itself.
    const bool verified =
        crypto::key_type(key) == crypto::KeyType::kEd25519
            ? cosign::verify_blob(key, *artifact, m.signature)
            : crypto::verify_digest_encoded(key, digest_alg_of(m.digest_algorithm), *digest, m.signature);
    if (!verified) return verify_error("the bundle's signature does not verify with the key");
    c.expected.signature = m.signature;
    c.expected.sha256_hex = hex_encode(crypto::sha256(*artifact));
    c.expected.signed_digest = tlog::SignedDigest{m.digest_algorithm, m.digest};
    c.signed_bytes = m.signature;
    return c;
  }
  c.content = "dsse";
  const auto& d = *b.dsse;
  const Bytes pae = sigstore::dsse_pae(d.payload_type, d.payload);
  if (!cosign::verify_blob(key, pae, d.signature))
    return verify_error("the DSSE signature does not verify with the key");
  std::optional<std::string> subject = subject_hex;
  if (artifact) subject = hex_encode(crypto::sha256(*artifact));
  if (subject) {
    if (d.payload_type != "application/vnd.in-toto+json")
      return verify_error("the DSSE payload is not an in-toto statement");
    if (auto why = subject_refusal(d.payload, *subject); !why.empty()) return verify_error(why);
  }
  c.expected.signature = d.signature;
  c.expected.payload_sha256_hex = hex_encode(crypto::sha256(d.payload));
  // Rekor v2 logs a DSSE signature as a hashedrekord over PAE, hashed as the key signs.
  if (const auto alg = cosign::blob_digest_alg(key); alg) {
    auto digest = crypto::Digest::create(*alg);
    if (digest) {
      digest->update(pae);
      c.expected.signed_digest = tlog::SignedDigest{digest_name(*alg), digest->finish()};
    }
  }
  c.signed_bytes = d.signature;
  return c;
}

Result<SignedTimes> check_log_and_timestamps(const sigstore::Bundle& b, const sigstore::TrustedRoot& root,
                                             const SignedContent& content) {
  SignedTimes t;
  for (const auto& e : b.tlog_entries) {
    std::optional<std::int64_t> when;
    policy::LogInclusion inclusion;
    if (auto why = check_entry(e, root, content.expected, when, inclusion); !why.empty())
      return verify_error("transparency log: " + why);
    t.entries.push_back(std::move(inclusion));
    ++t.tlog_entries_verified;
    if (e.integrated_time) t.integrated_time = e.integrated_time;
    if (when) t.verified_times.push_back(*when);
  }
  if (!root.tlogs.empty() && t.tlog_entries_verified == 0) {
    return verify_error("the trusted root lists transparency logs but the bundle has no entry in one");
  }
  if (b.rfc3161_timestamps.size() > kMaxTimestamps) {
    return verify_error("timestamp: more than " + std::to_string(kMaxTimestamps) + " timestamps");
  }
  std::string last_refusal;
  for (std::size_t i = 0; i < b.rfc3161_timestamps.size(); ++i) {
    const auto& ts = b.rfc3161_timestamps[i];
    if (std::find(b.rfc3161_timestamps.begin(), b.rfc3161_timestamps.begin() + static_cast<std::ptrdiff_t>(i), ts) !=
        b.rfc3161_timestamps.begin() + static_cast<std::ptrdiff_t>(i)) {
      return verify_error("timestamp: the same timestamp twice");
    }
    auto when = check_timestamp(ts, root, content.signed_bytes);
    if (!when) {
      last_refusal = when.error().message;  // a token that does not verify vouches for nothing
      continue;
    }
    t.verified_times.push_back(*when);
    ++t.timestamps_verified;
  }
  if (!b.rfc3161_timestamps.empty() && t.timestamps_verified == 0) return verify_error(last_refusal);
  return t;
}

}  // namespace chartprov::app
