#include "app/verify/verify_trusted.hpp"

#include <algorithm>

#include "app/verify/bundle_verify.hpp"
#include "app/verify/cosign_prov_check.hpp"
#include "app/verify/judge_keyless.hpp"
#include "app/verify/prov_log_entry.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/glob.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {

std::string scope_refusal(const trust::SigningKey& k, const std::string& chart, const std::string& env,
                          std::int64_t at) {
  const std::string id = k.key.key_id.substr(0, 16);
  bool chart_ok = false;
  for (const auto& g : k.allowed_charts) chart_ok = chart_ok || glob_match(g, chart);
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

policy::Verdict verdict_of_refusal(const trust::SigningKey& k, std::int64_t at) {
  if (k.revoked && *k.revoked_at <= at) return policy::Verdict::revoked;
  if (k.not_after && at > *k.not_after) return policy::Verdict::expired;
  return policy::Verdict::out_of_scope;
}

std::vector<policy::EnvelopeEvidence> judge_with_trust_root(const StagedChart& chart, const trust::TrustRoot& root,
                                                            const std::string& environment, std::int64_t now,
                                                            const sigstore::TrustedRoot* tlog_root) {
  std::vector<policy::EnvelopeEvidence> out;
  const ProvArchiveFacts facts = chart.facts();
  const auto try_envelope = [&](policy::EnvelopeEvidence e, const auto& verify_with) {
    e.verdict = policy::Verdict::unknown_key;
    e.reason = "no signature by a key the trust root lists";
    for (const auto& k : root.signing_keys) {
      std::int64_t at = now;
      if (!verify_with(k.key.key, at, e)) continue;
      e.key_id = k.key.key_id;
      e.fingerprint = k.openpgp_fingerprint;
      e.owner = k.owner;
      e.key_expires_at = k.not_after;
      e.reason = scope_refusal(k, facts.name, environment, at);
      e.verdict = e.reason.empty() ? policy::Verdict::good : verdict_of_refusal(k, at);
      if (e.good()) break;
    }
    out.push_back(std::move(e));
  };
  const auto unreadable = [&](policy::EnvelopeEvidence e, const Error& error) {
    e.verdict = policy::Verdict::error;
    e.reason = error.message;
    out.push_back(std::move(e));
  };

  if (chart.prov) {
    if (auto text = chart.prov->text(envelope::prov::kMaxProvFile); !text) {
      unreadable(envelope("prov", chart.prov->file.string()), text.error());
    } else {
      try_envelope(envelope("prov", chart.prov->file.string()),
                   [&](const crypto::PKey& key, std::int64_t& at, policy::EnvelopeEvidence& e) {
                     const auto c = verify_prov_with_key(*text, key, facts, now);
                     if (c.verified) {
                       at = c.signed_at;
                       e.signed_at = at;
                     }
                     return c.verified;
                   });
      judge_prov_log_entry(out.back(), chart.prov->file, as_bytes(*text), facts, tlog_root);
    }
  }
  if (chart.sig) {
    if (auto sig = chart.sig->text(cosign::kMaxSignatureFile); !sig) {
      unreadable(envelope("cosign-blob", chart.sig->file.string()), sig.error());
    } else {
      const Bytes raw = cosign::decode_signature_file(as_bytes(*sig));
      const ByteView bytes(chart.blob.bytes());
      try_envelope(envelope("cosign-blob", chart.sig->file.string()),
                   // A blob signature carries no time: judged as of now, and it has no age.
                   [&](const crypto::PKey& key, std::int64_t&, policy::EnvelopeEvidence&) {
                     if (!bytes.empty()) return cosign::verify_blob(key, bytes, raw);
                     const auto alg = cosign::blob_digest_alg(key);
                     if (!alg) return false;  // Ed25519: the bytes are kept whenever such a key is listed
                     if (*alg == crypto::DigestAlg::kSha256) {
                       const auto sha256 = hex_decode(std::string_view(chart.digest).substr(7));
                       return sha256.ok() && cosign::verify_blob_digest(key, *sha256, raw);
                     }
                     const auto d = chart.blob.digests()->find(*alg);
                     return d != chart.blob.digests()->end() && cosign::verify_blob_digest(key, d->second, raw);
                   });
    }
  }
  if (chart.bundle) {
    if (auto text = chart.bundle->text(sigstore::kMaxBundle); !text) {
      unreadable(envelope("sigstore-bundle", chart.bundle->file.string()), text.error());
    } else if (is_certificate_bundle(*text)) {
      const KeylessChart k{chart.bundle->file.string(), ByteView(chart.blob.bytes()), *text, facts.name, facts.version};
      out.push_back(judge_keyless_by_trust_root(k, root, tlog_root, environment, now));
    } else {
      try_envelope(envelope("sigstore-bundle", chart.bundle->file.string()),
                   [&](const crypto::PKey& key, std::int64_t& at, policy::EnvelopeEvidence& e) {
                     const tlog::ExpectedChart named{facts.name, facts.version};
                     const auto c = verify_bundle(ByteView(chart.blob.bytes()), *text, key, tlog_root, &named);
                     // The key is judged at the time a third party vouches for (a SET, our
                     // log's sequencing time, a timestamp); else at the entry's own
                     // integratedTime; without a log entry the time is unknown (now).
                     if (c.verified && (c.signed_at || c.integrated_time)) {
                       at = c.signed_at ? *c.signed_at : *c.integrated_time;
                       e.signed_at = at;
                     }
                     e.in_transparency_log = c.verified && c.tlog_entries_verified > 0;
                     if (c.verified) e.log_entries = c.log_entries;
                     return c.verified;
                   });
    }
  }
  return out;
}

TrustVerifyReport trust_report_of(const StagedChart& chart, std::int64_t trust_version,
                                  const std::vector<policy::EnvelopeEvidence>& judged) {
  TrustVerifyReport report;
  report.trust_version = trust_version;
  report.digest = chart.digest;
  report.chart_name = chart.archive->metadata.name;
  report.chart_version = chart.archive->metadata.version;
  for (const auto& e : judged) {
    TrustedEnvelope t;
    t.format = e.format;
    t.file = e.source;
    t.verdict = e.verdict;
    t.key_id = e.key_id;
    t.owner = e.owner;
    if (!t.counts()) t.reason = e.reason;
    report.envelopes.push_back(std::move(t));
  }
  int counted = 0;
  for (const auto& e : report.envelopes) counted += e.counts() ? 1 : 0;
  if (report.envelopes.empty()) report.reasons.push_back("no envelope (.prov, .sig, .sigstore.json) beside the chart");
  if (counted == 0) {
    for (const auto& e : report.envelopes) report.reasons.push_back(e.format + " " + e.file + ": " + e.reason);
  }
  report.verified = counted > 0;
  return report;
}

}  // namespace chartprov::app
