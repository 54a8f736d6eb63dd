#include "app/verify/judge_evidence.hpp"

#include <cctype>

#include "app/verify/judge_keyless.hpp"

namespace chartprov::app {
namespace {

// Everything a .prov failed on, in one line.
std::string all_reasons(const VerifyReport& r) {
  std::string out;
  for (const auto& reason : r.reasons) out += (out.empty() ? "" : "; ") + reason;
  return out;
}

std::string lower_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

policy::Verdict verdict_of(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::good: return policy::Verdict::good;
    case SignatureStatus::unknown_key:
    case SignatureStatus::not_pinned: return policy::Verdict::unknown_key;
    case SignatureStatus::expired: return policy::Verdict::expired;
    case SignatureStatus::revoked: return policy::Verdict::revoked;
    default: return policy::Verdict::bad;
  }
}

}  // namespace

policy::Evidence chart_evidence(const StagedChart& staged, const TrustMaterial& m, std::string_view chart) {
  policy::Evidence ev;
  ev.chart = std::string(chart);
  ev.digest = staged.digest;
  ev.trust_source = m.label();
  ev.owners_are_claims = !m.trust_root && m.keyring.has_value();  // owners are user ids
  if (staged.archive.ok()) {
    ev.name = staged.archive->metadata.name;
    ev.version = staged.archive->metadata.version;
  } else {
    // The reader's message names the user's file already.
    ev.problems.push_back("archive: " + staged.archive.error().message);
  }
  return ev;
}

policy::EnvelopeEvidence prov_signature_evidence(const std::string& source, const VerifyReport& r,
                                                 const SignatureReport& s) {
  policy::EnvelopeEvidence e;
  e.format = "prov";
  e.source = source;
  e.verdict = verdict_of(s.status);
  // Fingerprints compare in lower case, as policy files write them. The key
  // id is the one a .sig by the same key carries; a subkey also names its
  // primary key: one certificate is one signer.
  e.fingerprint = lower_case(s.fingerprint);
  e.key_id = s.spki_key_id;
  if (!s.primary_fingerprint.empty() && s.primary_fingerprint != s.fingerprint) {
    e.primary_fingerprint = lower_case(s.primary_fingerprint);
    e.primary_key_id = s.primary_spki_key_id;
  }
  if (!s.user_ids.empty()) e.owner = s.user_ids.front();
  if (s.created) e.signed_at = *s.created;
  if (s.key_expires_at != 0) e.key_expires_at = s.key_expires_at;
  e.reason = s.reason;
  // A good signature counts only when the whole .prov checks out for this
  // chart (digest, name, version, file name, no bad signature beside it): a
  // signed .prov of another chart is no evidence for this one.
  if (e.good() && !r.verified) {
    e.verdict = policy::Verdict::bad;
    e.reason = all_reasons(r);
  }
  return e;
}

void add_prov_evidence(const std::string& source, const VerifyReport& r, policy::Evidence& ev) {
  for (const auto& s : r.signatures) ev.envelopes.push_back(prov_signature_evidence(source, r, s));
  if (!r.signatures.empty()) return;
  policy::EnvelopeEvidence e;
  e.format = "prov";
  e.source = source;
  e.verdict = policy::Verdict::bad;
  e.reason = all_reasons(r);
  ev.envelopes.push_back(std::move(e));
}

void add_key_evidence(const KeyVerifyReport& r, policy::Evidence& ev) {
  for (const auto& env : r.envelopes) {
    if (env.ignored()) continue;  // a .prov that another key signed: not evidence for this key
    policy::EnvelopeEvidence e;
    e.format = env.format;
    e.source = env.file;
    e.verdict = env.verdict;
    e.key_id = r.key_id;
    e.reason = env.reason;
    e.in_transparency_log = env.verified() && env.tlog_entries_verified > 0;
    if (env.verified()) e.log_entries = env.log_entries;
    ev.envelopes.push_back(std::move(e));
  }
}

std::vector<policy::Expiry> expiries_of(const policy::Evidence& ev, const std::optional<trust::TrustRoot>& root) {
  std::vector<policy::Expiry> out;
  if (root) {
    out.push_back({policy::ExpiryKind::trust_root, "trust root v" + std::to_string(root->version), root->expires});
  }
  for (const auto& e : ev.envelopes) {
    if (!e.good() || !e.key_expires_at) continue;
    const std::string owner = e.owner.empty() ? "" : " (" + e.owner + ")";
    if (e.identity) {  // a keyless signer's window in the trust root
      out.push_back({policy::ExpiryKind::signing_key, "identity " + e.identity->subject + owner, *e.key_expires_at});
      continue;
    }
    const std::string id = !e.key_id.empty() ? e.key_id.substr(0, 16) : e.fingerprint;
    out.push_back({policy::ExpiryKind::signing_key, "key " + id + owner, *e.key_expires_at});
  }
  return out;
}

policy::Evidence oci_evidence(const std::string& chart, const OciVerifyReport& r, const TrustMaterial& m) {
  policy::Evidence ev;
  ev.chart = chart;
  ev.name = r.chart_name;
  ev.version = r.chart_version;
  ev.digest = r.chart_digest;
  ev.trust_source = m.label();
  ev.owners_are_claims = !m.trust_root && m.keyring.has_value();  // owners are user ids
  if (r.chart_name.empty()) {
    ev.problems = r.reasons;
    if (ev.problems.empty()) ev.problems.emplace_back("the chart could not be read from the registry");
    return ev;
  }
  if (r.prov) {
    for (const auto& s : r.prov->signatures)
      ev.envelopes.push_back(prov_signature_evidence(chart + " (.prov layer)", *r.prov, s));
  }
  if (m.key) {
    policy::EnvelopeEvidence e;
    e.format = "oci-cosign";
    e.source = chart + "@" + r.manifest_digest;
    e.verdict = r.cosign_signatures > 0 ? policy::Verdict::good : policy::Verdict::bad;
    e.key_id = r.key_id;
    if (r.cosign_signatures == 0) e.reason = "no cosign signature of the manifest by this key";
    ev.envelopes.push_back(std::move(e));
  }
  if (m.identity && !m.trust_root) {
    for (const auto& c : r.certificate_signatures) {
      policy::EnvelopeEvidence e = oci_certificate_evidence(chart, r, c);
      judge_identity_by_pin(e, *m.identity);
      ev.envelopes.push_back(std::move(e));
    }
    if (r.certificate_signatures.empty()) {
      policy::EnvelopeEvidence e;
      e.format = "oci-cosign";
      e.source = chart + "@" + r.manifest_digest;
      e.verdict = policy::Verdict::bad;
      e.reason = "no referrer of the manifest holds a certificate-signed bundle";
      ev.envelopes.push_back(std::move(e));
    }
  }
  // Reasons that are about the chart itself (wrong name, wrong version,
  // manifest digest) are problems whatever the envelopes say.
  for (const auto& reason : r.chart_problems) ev.problems.push_back(reason);
  return ev;
}

policy::EnvelopeEvidence oci_certificate_evidence(const std::string& chart, const OciVerifyReport& report,
                                                  const OciCertificateSignature& signature) {
  policy::EnvelopeEvidence e = keyless_evidence(
      signature.check, "oci-cosign", chart + "@" + report.manifest_digest + " (referrer " + signature.referrer + ")");
  if (signature.no_trusted_root) e.verdict = policy::Verdict::error;
  return e;
}

}  // namespace chartprov::app
