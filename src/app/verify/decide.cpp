#include "app/verify/decide.hpp"

#include "app/verify/judge_attestation.hpp"
#include "app/verify/judge_evidence.hpp"
#include "app/verify/judge_keyless.hpp"
#include "app/verify/oci_verify.hpp"
#include "app/verify/tlog_state.hpp"
#include "app/verify/verify.hpp"
#include "app/verify/verify_envelopes.hpp"
#include "app/verify/verify_trusted.hpp"
#include "app/verify/witness_cosignatures.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "oci/reference.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {
namespace {

bool is_oci(const std::string& chart) { return chart.rfind("oci://", 0) == 0; }

// --keyring: the .prov through the keyring; --key: the cosign envelopes (and
// the .prov by key material when there is no keyring).
void judge_with_keys(const StagedChart& staged, const TrustMaterial& m, std::int64_t now, policy::Evidence& ev) {
  if (m.keyring && staged.prov) {
    const VerifyReport r =
        judge_prov(prov_report_base(staged), &*staged.archive, staged.prov->text(envelope::prov::kMaxProvFile),
                   *m.keyring, m.history ? &*m.history : nullptr, {}, now);
    add_prov_evidence(staged.prov->file.string(), r, ev);
  }
  if (m.key) {
    add_key_evidence(
        judge_with_key(staged, *m.key, m.key_id, m.sigstore_root ? &*m.sigstore_root : nullptr, !m.keyring, now), ev);
  }
  if (m.identity && m.sigstore_root && staged.bundle) {
    auto text = staged.bundle->text(sigstore::kMaxBundle);
    policy::EnvelopeEvidence e;
    if (!text) {
      e.format = "sigstore-bundle";
      e.source = staged.bundle->file.string();
      e.verdict = policy::Verdict::error;
      e.reason = text.error().message;
    } else {
      const KeylessChart k{staged.bundle->file.string(), ByteView(staged.blob.bytes()), *text,
                           staged.archive->metadata.name, staged.archive->metadata.version};
      e = judge_keyless_by_identity(k, *m.identity, *m.sigstore_root, now);
    }
    ev.envelopes.push_back(std::move(e));
  }
}

policy::Evidence judge_staged(const StagedChart& staged, const TrustMaterial& m, std::string_view chart,
                              std::string_view environment, std::int64_t now) {
  policy::Evidence ev = chart_evidence(staged, m, chart);
  if (!staged.archive) return ev;
  if (m.trust_root) {
    ev.envelopes = judge_with_trust_root(staged, *m.trust_root, std::string(environment), now,
                                         m.sigstore_root ? &*m.sigstore_root : nullptr);
  } else {
    judge_with_keys(staged, m, now, ev);
  }
  ev.attestations = judge_attestations(staged, m, std::string(environment), now);
  ev.expiries = expiries_of(ev, m.trust_root);
  return ev;
}

Result<DecideResult> decide_file(const policy::Policy& policy, const DecideRequest& req, const TrustMaterial& m) {
  StageRequest stage = stage_request_for(req.chart, m);
  stage.copy_dir = req.save_dir;
  TRY(const StagedChart staged, stage_chart(stage));
  // An envelope that is there but cannot be read: no decision (as when the copy could not be made).
  for (const auto* e : {&staged.prov, &staged.sig, &staged.bundle, &staged.attestation}) {
    if (*e && !(*e)->bytes) return (*e)->bytes.error().with_context((*e)->file.string());
  }
  DecideResult result = decide_staged(policy, staged, m, req.chart, req.environment, now_or(req.now));
  result.saved_chart = staged.copy;
  return result;
}

Result<policy::Evidence> gather_oci(const DecideRequest& req, const TrustMaterial& m, const std::filesystem::path& dir,
                                    std::optional<std::filesystem::path>& saved) {
  const std::int64_t now = now_or(req.now);
  TRY(oci::Reference ref, oci::parse_reference(req.chart, req.version));
  OciVerifyRequest o;
  o.reference = ref;
  // The server reuses its connection settings for every request: copy the secret.
  o.connection.registry = ref.registry;
  o.connection.plain_http = req.connection.plain_http;
  o.connection.username = req.connection.username;
  if (req.connection.password) o.connection.password.emplace(req.connection.password->str());
  o.material = &m;
  o.now = now;
  TRY_STATUS(resolve_registry_credentials(o.connection));
  TRY(const OciVerifyReport r, verify_oci_chart(std::move(o)));
  policy::Evidence ev = oci_evidence(req.chart, r, m);
  if (r.chart_name.empty()) return ev;
  // The chart read, whatever the verdict: the policy judges it, and with a
  // trust root its .prov layer is judged as OUTPUT.prov beside it.
  const std::filesystem::path output =
      dir / (ref.name() + "-" + (ref.tag.empty() ? std::string("chart") : ref.tag) + ".tgz");
  TRY_STATUS(save_oci_chart(r, output, m.trust_root.has_value()));
  saved = output;
  if (m.trust_root) {
    StageRequest stage;
    stage.chart = output;
    stage.find_cosign = false;
    TRY(const StagedChart staged, stage_chart(stage));
    if (staged.digest != r.chart_digest) return internal_error("the saved chart changed");
    ev.envelopes = judge_with_trust_root(staged, *m.trust_root, req.environment, now, nullptr);
    for (auto& e : ev.envelopes) e.source = req.chart + " (.prov layer)";
    for (std::size_t i = 0; i < r.good_by_trusted_key.size(); ++i) {
      if (r.good_by_trusted_key[i] == 0) continue;
      const auto& k = m.trust_root->signing_keys[i];
      policy::EnvelopeEvidence e;
      e.format = "oci-cosign";
      e.source = req.chart + "@" + r.manifest_digest;
      e.key_id = k.key.key_id;
      e.fingerprint = k.openpgp_fingerprint;
      e.owner = k.owner;
      e.key_expires_at = k.not_after;
      e.reason = scope_refusal(k, r.chart_name, req.environment, now);  // a cosign signature has no time: now
      e.verdict = e.reason.empty() ? policy::Verdict::good : verdict_of_refusal(k, now);
      ev.envelopes.push_back(std::move(e));
    }
    // Certificate-signed referrers: by the trust root's identities, at their signing times.
    for (const auto& c : r.certificate_signatures) {
      policy::EnvelopeEvidence e = oci_certificate_evidence(req.chart, r, c);
      if (c.no_trusted_root) {
        e.reason =
            "a certificate bundle, and the trust root carries no Sigstore trusted root to check it against "
            "(trust set-sigstore-root)";
      }
      judge_identity_by_trust_root(e, *m.trust_root, r.chart_name, req.environment, now);
      ev.envelopes.push_back(std::move(e));
    }
  }
  ev.expiries = expiries_of(ev, m.trust_root);
  return ev;
}

// The verifier's checkpoint state (tlog_state.hpp), when one is named: its
// problems deny, a state file that cannot be read or written too. Whether a
// split view was found.
bool check_tlog_state(policy::Evidence& evidence) {
  auto state = apply_tlog_state(evidence, http_tile_getter());
  if (!state) {
    evidence.problems.push_back(state.error().message);
    return false;
  }
  return state->split_view;
}

Result<DecideResult> decide_oci(const policy::Policy& policy, const DecideRequest& req, const TrustMaterial& m) {
  std::optional<TempDir> stage;
  std::filesystem::path dir;
  if (req.save_dir) {
    dir = *req.save_dir;
  } else {
    TRY(TempDir t, TempDir::create("chartprov-verify"));
    stage.emplace(std::move(t));
    dir = stage->path();
  }
  DecideResult result;
  std::optional<std::filesystem::path> saved;
  TRY(result.evidence, gather_oci(req, m, dir, saved));
  if (req.save_dir) result.saved_chart = saved;
  add_witness_cosignatures(policy, result.evidence);
  const bool split_view = check_tlog_state(result.evidence);
  result.decision = policy::evaluate(policy, req.environment, result.evidence, now_or(req.now));
  if (split_view) result.decision.reason_code = "split-view";
  return result;
}

}  // namespace

StageRequest stage_request_for(const std::filesystem::path& chart, const TrustMaterial& m) {
  StageRequest s;
  s.chart = chart;
  s.find_prov = true;
  s.find_cosign = m.trust_root.has_value() || m.key.has_value() || m.identity.has_value();
  if (m.trust_root) {
    for (const auto& k : m.trust_root->signing_keys) s.cosign_keys.push_back(&k.key.key);
  }
  if (m.key) s.cosign_keys.push_back(&*m.key);
  return s;
}

DecideResult decide_staged(const policy::Policy& policy, const StagedChart& staged, const TrustMaterial& material,
                           std::string_view chart, std::string_view environment, std::int64_t now) {
  DecideResult result;
  result.evidence = judge_staged(staged, material, chart, environment, now);
  add_witness_cosignatures(policy, result.evidence);
  const bool split_view = check_tlog_state(result.evidence);
  result.decision = policy::evaluate(policy, environment, result.evidence, now);
  if (split_view) result.decision.reason_code = "split-view";
  return result;
}

Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request, const TrustMaterial& material) {
  // "" is the no-environment policy's own section (verify --trust-dir without --env).
  if (!request.environment.empty()) TRY_STATUS(policy::check_requested_environment(policy, request.environment));
  if (request.chart.empty()) return usage_error("no chart given");
  TRY_STATUS(material.check_current(now_or(request.now)));
  return is_oci(request.chart) ? decide_oci(policy, request, material) : decide_file(policy, request, material);
}

Result<DecideResult> decide(const policy::Policy& policy, const DecideRequest& request) {
  TRY_STATUS(check_one_trust_source(request.trust));
  if (request.chart.empty()) return usage_error("no chart given");
  TRY(const TrustMaterial material, load_trust_material(request.trust, request.now));
  return decide(policy, request, material);
}

Result<policy::Policy> load_policy(const std::optional<std::filesystem::path>& file) {
  if (!file) return policy::default_policy();
  TRY(const std::string text, read_text_file(*file, policy::kMaxPolicyBytes));
  return policy::parse_policy(text, file->string());
}

}  // namespace chartprov::app
