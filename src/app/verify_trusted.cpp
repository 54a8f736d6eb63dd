#include "app/verify_trusted.hpp"

#include <algorithm>
#include <ctime>

#include "app/bundle_verify.hpp"
#include "app/cosign_prov_check.hpp"
#include "app/trust_store.hpp"
#include "chart/archive_reader.hpp"
#include "chart/glob.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {

std::string scope_refusal(const trust::SigningKey& k, const std::string& chart, const std::string& env,
                          std::int64_t at) {
  const std::string id = k.key.key_id.substr(0, 16);
  bool chart_ok = false;
  for (const auto& g : k.allowed_charts) chart_ok = chart_ok || chart::glob_match(g, chart);
  if (!chart_ok) return "key " + id + " (" + k.owner + ") may not sign chart \"" + chart + "\"";
  if (!env.empty() && !k.counts_for(env))
    return "key " + id + " (" + k.owner + ") does not count for environment " + env;
  if (k.revoked && *k.revoked_at <= at) {
    return "key " + id + " (" + k.owner + ") was revoked at " + format_rfc3339(*k.revoked_at);
  }
  if (at < k.not_before) return "key " + id + " was not yet valid when the signature was made";
  if (k.not_after && at > *k.not_after) return "key " + id + " had expired (" + format_rfc3339(*k.not_after) + ")";
  return "";
}

namespace {

policy::EnvelopeEvidence envelope(std::string format, std::string file) {
  policy::EnvelopeEvidence e;
  e.format = std::move(format);
  e.source = std::move(file);
  return e;
}

}  // namespace

std::string status_of_refusal(const trust::SigningKey& k, std::int64_t at) {
  if (k.revoked && *k.revoked_at <= at) return "revoked";
  if (k.not_after && at > *k.not_after) return "expired";
  return "out-of-scope";
}

std::vector<policy::EnvelopeEvidence> judge_with_trust_root(const TrustedChart& chart, const trust::TrustRoot& root,
                                                            const std::string& environment, std::int64_t now,
                                                            const sigstore::TrustedRoot* tlog_root) {
  std::vector<policy::EnvelopeEvidence> out;
  const auto try_envelope = [&](policy::EnvelopeEvidence e, const auto& verify_with) {
    e.status = "unknown-key";
    e.reason = "no signature by a key the trust root lists";
    for (const auto& k : root.signing_keys) {
      std::int64_t at = now;
      if (!verify_with(k.key.key, at, e)) continue;
      e.key_id = k.key.key_id;
      e.fingerprint = k.openpgp_fingerprint;
      e.owner = k.owner;
      e.reason = scope_refusal(k, chart.facts.name, environment, at);
      e.status = e.reason.empty() ? "good" : status_of_refusal(k, at);
      if (e.good()) break;
    }
    out.push_back(std::move(e));
  };
  const auto unreadable = [&](policy::EnvelopeEvidence e, const Error& error) {
    e.status = "error";
    e.reason = error.message;
    out.push_back(std::move(e));
  };

  const std::string base = chart.path.string();
  std::error_code ec;
  if (std::filesystem::exists(base + ".prov", ec)) {
    if (auto text = read_text_file(base + ".prov", 1u << 20); !text) {
      unreadable(envelope("prov", base + ".prov"), text.error());
    } else {
      try_envelope(envelope("prov", base + ".prov"),
                   [&](const crypto::PKey& key, std::int64_t& at, policy::EnvelopeEvidence& e) {
                     const auto c = verify_prov_with_key(*text, key, chart.facts, now);
                     if (c.verified) {
                       at = c.signed_at;
                       e.signed_at = at;
                     }
                     return c.verified;
                   });
    }
  }
  if (std::filesystem::exists(base + ".sig", ec)) {
    if (auto sig = read_file(base + ".sig", cosign::kMaxSignatureFile); !sig) {
      unreadable(envelope("cosign-blob", base + ".sig"), sig.error());
    } else {
      const Bytes raw = cosign::decode_signature_file(*sig);
      try_envelope(envelope("cosign-blob", base + ".sig"),
                   // A blob signature carries no time: judged as of now, and it has no age.
                   [&](const crypto::PKey& key, std::int64_t&, policy::EnvelopeEvidence&) {
                     if (!chart.bytes.empty()) return cosign::verify_blob(key, chart.bytes, raw);
                     const auto alg = cosign::blob_digest_alg(key);
                     if (!alg) return false;  // Ed25519: the bytes are kept whenever such a key is listed
                     if (*alg == crypto::DigestAlg::kSha256) {
                       const auto sha256 = hex_decode(std::string_view(chart.facts.digest).substr(7));
                       return sha256.ok() && cosign::verify_blob_digest(key, *sha256, raw);
                     }
                     if (chart.digests == nullptr) return false;
                     const auto d = chart.digests->find(*alg);
                     return d != chart.digests->end() && cosign::verify_blob_digest(key, d->second, raw);
                   });
    }
  }
  if (std::filesystem::exists(base + ".sigstore.json", ec)) {
    if (auto text = read_text_file(base + ".sigstore.json", sigstore::kMaxBundle); !text) {
      unreadable(envelope("sigstore-bundle", base + ".sigstore.json"), text.error());
    } else {
      try_envelope(envelope("sigstore-bundle", base + ".sigstore.json"),
                   [&](const crypto::PKey& key, std::int64_t& at, policy::EnvelopeEvidence& e) {
                     const auto c = verify_bundle(chart.bytes, *text, key, tlog_root);
                     if (c.verified && c.integrated_time) {
                       at = *c.integrated_time;
                       e.signed_at = at;  // the log's time; without a log entry the time is unknown
                     }
                     e.in_transparency_log = c.verified && c.tlog_entries_verified > 0;
                     return c.verified;
                   });
    }
  }
  return out;
}

Result<TrustVerifyReport> verify_with_trust_root(const TrustVerifyRequest& req) {
  const std::int64_t now = req.now != 0 ? req.now : static_cast<std::int64_t>(std::time(nullptr));
  TRY(const trust::TrustRoot root, load_trust_dir(req.trust_dir, now));
  return verify_with_loaded_trust_root(req, root);
}

Result<ChartBlobDigests> ChartBlobDigests::for_chart(const std::filesystem::path& chart, const trust::TrustRoot& root) {
  ChartBlobDigests d;
  std::error_code ec;
  const std::string base = chart.string();
  const bool sig = std::filesystem::exists(base + ".sig", ec);
  d.keep_bytes_ = std::filesystem::exists(base + ".sigstore.json", ec);  // a bundle signs the message
  if (!sig) return d;
  std::vector<crypto::DigestAlg> algs;
  for (const auto& k : root.signing_keys) {
    const auto alg = cosign::blob_digest_alg(k.key.key);
    if (!alg) {
      d.keep_bytes_ = true;  // Ed25519 signs the message itself
    } else if (*alg != crypto::DigestAlg::kSha256 && std::find(algs.begin(), algs.end(), *alg) == algs.end()) {
      algs.push_back(*alg);
    }
  }
  if (d.keep_bytes_) return d;
  for (const auto alg : algs) {
    TRY(crypto::Digest digest, crypto::Digest::create(alg));
    d.running_.push_back(std::move(digest));
  }
  return d;
}

void ChartBlobDigests::update(ByteView chunk) {
  if (keep_bytes_) bytes_.insert(bytes_.end(), chunk.begin(), chunk.end());
  for (auto& r : running_) r.update(chunk);
}

void ChartBlobDigests::finish() {
  for (auto& r : running_) {
    const auto alg = r.alg();
    digests_[alg] = r.finish();
  }
  running_.clear();
}

Result<TrustVerifyReport> verify_with_loaded_trust_root(const TrustVerifyRequest& req, const trust::TrustRoot& root) {
  const std::int64_t now = req.now != 0 ? req.now : static_cast<std::int64_t>(std::time(nullptr));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(req.chart, ec)) return input_error("chart not found: " + req.chart.string());
  TrustVerifyReport report;
  report.trust_version = root.version;
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  // One streaming read: the bytes parsed are the bytes hashed. They are kept
  // only when an envelope signs the whole message (.sig, bundle); a .prov
  // needs the digest alone, so a big chart costs no memory.
  TRY(ChartBlobDigests blob, ChartBlobDigests::for_chart(req.chart, root));
  TRY(auto read, chart::read_chart_file(req.chart, limits, [&](ByteView chunk) { blob.update(chunk); }));
  blob.finish();
  report.digest = "sha256:" + read.sha256_hex;
  if (!read.archive) {
    report.reasons.push_back("archive: " + read.archive.error().message);
    return report;
  }
  const auto& archive = read.archive;
  report.chart_name = archive->metadata.name;
  report.chart_version = archive->metadata.version;
  const TrustedChart chart{
      req.chart, ByteView(blob.bytes()),
      ProvArchiveFacts{req.chart.filename().string(), report.digest, report.chart_name, report.chart_version},
      blob.digests()};
  for (auto& e : judge_with_trust_root(chart, root, req.environment, now, nullptr)) {
    TrustedEnvelope t;
    t.format = e.format;
    t.file = e.source;
    t.counted = e.good();
    t.key_id = e.key_id;
    t.owner = e.owner;
    if (!t.counted) t.reason = e.reason;
    report.envelopes.push_back(std::move(t));
  }
  int counted = 0;
  for (const auto& e : report.envelopes) counted += e.counted ? 1 : 0;
  if (report.envelopes.empty()) report.reasons.push_back("no envelope (.prov, .sig, .sigstore.json) beside the chart");
  if (counted == 0) {
    for (const auto& e : report.envelopes) report.reasons.push_back(e.format + " " + e.file + ": " + e.reason);
  }
  report.verified = counted > 0;
  return report;
}

}  // namespace chartprov::app
