#include "app/verify/judge_attestation.hpp"

#include "app/verify/bundle_verify.hpp"
#include "app/verify/judge_keyless.hpp"
#include "app/verify/verify_trusted.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/intoto_statement.hpp"

namespace chartprov::app {
namespace {

static_assert(policy::kSlsaProvenanceV1 == sigstore::kSlsaProvenanceV1);

constexpr const char* kFormat = "attestation";

// The in-toto statement of a DSSE bundle.
Result<sigstore::Statement> read_statement(std::string_view bundle_json) {
  TRY(const sigstore::Bundle b, sigstore::parse_bundle(bundle_json));
  if (!b.dsse || b.dsse->payload_type != sigstore::kInTotoPayloadType) {
    return verify_error("the attestation holds no in-toto statement (a DSSE envelope of " +
                        std::string(sigstore::kInTotoPayloadType) + ")");
  }
  return sigstore::parse_statement(as_chars(b.dsse->payload));
}

policy::AttestationEvidence refused(policy::AttestationEvidence a, std::string reason) {
  a.envelope.verdict = policy::Verdict::bad;
  a.envelope.reason = std::move(reason);
  return a;
}

// One bundle judged by the key: its signature (and, with a Sigstore trusted
// root, its log entries and timestamps).
policy::EnvelopeEvidence vouched_by_key(policy::EnvelopeEvidence e, std::string_view text, const crypto::PKey& key,
                                        const std::string& key_id, const sigstore::TrustedRoot* root) {
  const BundleCheck c = verify_bundle(std::nullopt, text, key, root);
  e.key_id = key_id;
  e.verdict = c.verified ? policy::Verdict::good : policy::Verdict::bad;
  e.reason = c.reason;
  e.in_transparency_log = c.verified && c.tlog_entries_verified > 0;
  if (c.verified) e.signed_at = c.integrated_time;
  return e;
}

// One bundle judged by the trust root's keys, as verify_trusted judges a
// signature bundle: the first listed key it verifies with, in its scope at
// the log's time (else now).
policy::EnvelopeEvidence vouched_by_trust_root(policy::EnvelopeEvidence e, std::string_view text,
                                               const trust::TrustRoot& root, const sigstore::TrustedRoot* tlog_root,
                                               const std::string& chart_name, const std::string& environment,
                                               std::int64_t now) {
  e.verdict = policy::Verdict::unknown_key;
  e.reason = "no signature by a key the trust root lists";
  for (const auto& k : root.signing_keys) {
    const BundleCheck c = verify_bundle(std::nullopt, text, k.key.key, tlog_root);
    if (!c.verified) continue;
    const std::int64_t at = c.integrated_time.value_or(now);
    e.signed_at = c.integrated_time;
    e.in_transparency_log = c.tlog_entries_verified > 0;
    e.key_id = k.key.key_id;
    e.fingerprint = k.openpgp_fingerprint;
    e.owner = k.owner;
    e.key_expires_at = k.not_after;
    e.reason = scope_refusal(k, chart_name, environment, at);
    e.verdict = e.reason.empty() ? policy::Verdict::good : verdict_of_refusal(k, at);
    if (e.good()) break;
  }
  return e;
}

}  // namespace

policy::AttestationEvidence attestation_evidence(policy::EnvelopeEvidence vouched, std::string_view bundle_json,
                                                 std::string_view chart_sha256_hex) {
  policy::AttestationEvidence a;
  a.envelope = std::move(vouched);
  a.envelope.format = kFormat;
  if (!a.good()) return a;  // an unverified statement is no fact
  auto st = read_statement(bundle_json);
  if (!st) return refused(std::move(a), st.error().message);
  if (!st->names_sha256(chart_sha256_hex)) {
    return refused(std::move(a),
                   "the attestation names another digest, not the chart's sha256:" + std::string(chart_sha256_hex));
  }
  a.predicate_type = st->predicate_type;
  if (a.predicate_type == sigstore::kSlsaProvenanceV1) {
    auto p = sigstore::parse_slsa_provenance(st->predicate_json);
    if (!p) return refused(std::move(a), "the attestation's SLSA provenance: " + p.error().message);
    a.builder_id = p->builder_id;
    a.build_type = p->build_type;
    a.source_repository = p->source_repository;
    a.source_ref = p->source_ref;
    a.workflow_path = p->workflow_path;
  }
  return a;
}

std::vector<policy::AttestationEvidence> judge_attestations(const StagedChart& chart, const TrustMaterial& m,
                                                            const std::string& environment, std::int64_t now) {
  std::vector<policy::AttestationEvidence> out;
  if (!chart.attestation || !chart.archive || (!m.trust_root && !m.key && !m.identity)) return out;
  policy::EnvelopeEvidence e;
  e.format = kFormat;
  e.source = chart.attestation->file.string();
  auto text = chart.attestation->text(sigstore::kMaxBundle);
  if (!text) {
    e.verdict = policy::Verdict::error;
    e.reason = text.error().message;
    out.push_back(attestation_evidence(std::move(e), "", ""));
    return out;
  }
  const sigstore::TrustedRoot* tlog_root = m.sigstore_root ? &*m.sigstore_root : nullptr;
  if (is_certificate_bundle(*text)) {
    // Keyless (or a private CA): who the certificate names, as for the chart's own bundle.
    const KeylessChart k{e.source, ByteView(chart.blob.bytes()), *text, chart.archive->metadata.name,
                         chart.archive->metadata.version};
    if (m.trust_root) {
      e = judge_keyless_by_trust_root(k, *m.trust_root, tlog_root, environment, now);
    } else if (m.identity && tlog_root != nullptr) {
      e = judge_keyless_by_identity(k, *m.identity, *tlog_root, now);
    } else {
      e.verdict = policy::Verdict::unknown_key;
      e.reason = "a certificate-signed attestation, and no identity is trusted here";
    }
    e.format = kFormat;
  } else if (m.trust_root) {
    e = vouched_by_trust_root(std::move(e), *text, *m.trust_root, tlog_root, chart.archive->metadata.name, environment,
                              now);
  } else if (m.key) {
    e = vouched_by_key(std::move(e), *text, *m.key, m.key_id, tlog_root);
  } else {
    e.verdict = policy::Verdict::unknown_key;
    e.reason = "a key-signed attestation, and no key is trusted here";
  }
  constexpr std::string_view kSha256 = "sha256:";
  const std::string_view digest(chart.digest);
  out.push_back(attestation_evidence(std::move(e), *text,
                                     digest.rfind(kSha256, 0) == 0 ? digest.substr(kSha256.size()) : digest));
  return out;
}

}  // namespace chartprov::app
