#include "app/verify/judge_keyless.hpp"

#include "app/verify/certificate_bundle.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "util/glob.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

std::string identity_scope_refusal(const trust::SigningIdentity& id, const std::string& chart, const std::string& env,
                                   std::int64_t at) {
  const std::string who = "identity " + id.identity.describe() + " (" + id.owner + ")";
  bool chart_ok = false;
  for (const auto& g : id.allowed_charts) chart_ok = chart_ok || glob_match(g, chart);
  if (!chart_ok) return who + " may not sign chart \"" + chart + "\"";
  if (!env.empty() && !id.counts_for(env)) return who + " does not count for environment " + env;
  if (id.revoked && *id.revoked_at <= at) return who + " was revoked at " + format_rfc3339(*id.revoked_at);
  if (at < id.not_before) return who + " was not yet trusted when the signature was made";
  if (id.not_after && at > *id.not_after) return who + " had expired (" + format_rfc3339(*id.not_after) + ")";
  return "";
}

policy::Verdict identity_refusal_verdict(const trust::SigningIdentity& id, std::int64_t at) {
  if (id.revoked && *id.revoked_at <= at) return policy::Verdict::revoked;
  if (id.not_after && at > *id.not_after) return policy::Verdict::expired;
  return policy::Verdict::out_of_scope;
}

// The bundle beside a chart verified, as evidence before anyone is trusted.
policy::EnvelopeEvidence verified_evidence(const KeylessChart& chart, const sigstore::TrustedRoot& root,
                                           std::int64_t now) {
  const tlog::ExpectedChart expected{chart.name, chart.version};
  const tlog::ExpectedChart* named = chart.name.empty() ? nullptr : &expected;
  return keyless_evidence(verify_certificate_bundle(chart.chart, std::nullopt, chart.bundle_json, root, now, named),
                          "sigstore-bundle", chart.source);
}

}  // namespace

policy::EnvelopeEvidence keyless_evidence(const BundleCheck& c, std::string format, std::string source) {
  policy::EnvelopeEvidence e;
  e.format = std::move(format);
  e.source = std::move(source);
  if (!c.verified || !c.identity) {
    e.verdict = policy::Verdict::bad;
    e.reason = c.verified ? "the certificate names no identity" : c.reason;
    return e;
  }
  e.identity = c.identity;
  e.signed_at = c.signed_at;
  e.in_transparency_log = c.tlog_entries_verified > 0;
  e.log_entries = c.log_entries;
  e.verdict = policy::Verdict::unknown_key;
  e.reason = "the certificate names " + c.identity->subject + " (issuer " + c.identity->issuer +
             "), an identity the trust material does not list";
  return e;
}

void judge_identity_by_trust_root(policy::EnvelopeEvidence& e, const trust::TrustRoot& root,
                                  const std::string& chart_name, const std::string& environment, std::int64_t now) {
  if (!e.identity) return;
  const std::int64_t at = e.signed_at.value_or(now);
  for (const auto& id : root.signing_identities) {
    if (!id.identity.matches(*e.identity)) continue;
    e.owner = id.owner;
    e.key_expires_at = id.not_after;
    e.reason = identity_scope_refusal(id, chart_name, environment, at);
    e.verdict = e.reason.empty() ? policy::Verdict::good : identity_refusal_verdict(id, at);
    if (e.good()) break;
  }
}

void judge_identity_by_pin(policy::EnvelopeEvidence& e, const policy::IdentityRequirement& pinned) {
  if (!e.identity) return;
  if (pinned.matches(*e.identity)) {
    e.verdict = policy::Verdict::good;
    e.reason.clear();
  } else {
    e.reason = "the certificate names " + e.identity->subject + " (issuer " + e.identity->issuer + "), not " +
               pinned.describe();
  }
}

bool is_certificate_bundle(std::string_view bundle_json) {
  const auto b = sigstore::parse_bundle(bundle_json);
  return b.ok() && b->has_certificate;
}

policy::EnvelopeEvidence judge_keyless_by_trust_root(const KeylessChart& chart, const trust::TrustRoot& root,
                                                     const sigstore::TrustedRoot* sigstore_root,
                                                     const std::string& environment, std::int64_t now) {
  if (sigstore_root == nullptr) {
    policy::EnvelopeEvidence e;
    e.format = "sigstore-bundle";
    e.source = chart.source;
    e.verdict = policy::Verdict::error;
    e.reason =
        "a certificate bundle, and the trust root carries no Sigstore trusted root to check it against "
        "(trust set-sigstore-root)";
    return e;
  }
  policy::EnvelopeEvidence e = verified_evidence(chart, *sigstore_root, now);
  judge_identity_by_trust_root(e, root, chart.name, environment, now);
  return e;
}

policy::EnvelopeEvidence judge_keyless_by_identity(const KeylessChart& chart, const policy::IdentityRequirement& pinned,
                                                   const sigstore::TrustedRoot& sigstore_root, std::int64_t now) {
  policy::EnvelopeEvidence e = verified_evidence(chart, sigstore_root, now);
  judge_identity_by_pin(e, pinned);
  return e;
}

}  // namespace chartprov::app
