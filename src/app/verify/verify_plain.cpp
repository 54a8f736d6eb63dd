#include "app/verify/verify_plain.hpp"

#include "app/keys/key_history_file.hpp"
#include "app/sign/blob_signer.hpp"
#include "app/trust/trust_store.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/judge_evidence.hpp"
#include "app/verify/keyring_loader.hpp"
#include "app/verify/staged_chart.hpp"
#include "app/verify/tlog_state.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

// The .prov the keyring judges: --prov, else CHART.prov.
std::filesystem::path prov_file(const PlainVerifyRequest& req) {
  return req.prov ? *req.prov : std::filesystem::path(req.chart.string() + ".prov");
}

VerifyRequest keyring_request(const PlainVerifyRequest& req) {
  VerifyRequest v;
  v.chart = req.chart;
  v.prov = req.prov;
  v.pinned_signers = req.pinned_signers;
  v.now = req.now;
  return v;
}

// --keyring: the checks plain verify makes before it reads, then the keyring
// and its key history. One chart: the keyring's OpenSSL keys are built as
// its signatures need them, not all at once.
Status load_keyring_material(const PlainVerifyRequest& req, TrustMaterial& m) {
  TRY_STATUS(check_verify_request(keyring_request(req)));
  TRY(m.keyring, load_keyring(*req.trust.keyring, KeyringLoadOptions{req.trust.use_keyring_cache}));
  if (req.trust.key_history) {
    TRY(m.history, load_key_history(*req.trust.key_history));
  }
  return ok_status();
}

// The keyring's judge over the staged chart: the .prov (--prov, else
// CHART.prov) read once, every signature and the signed files checked.
VerifyReport judge_keyring_prov(const PlainVerifyRequest& req, const StagedChart& staged, const TrustMaterial& m,
                                std::int64_t now) {
  StagedEnvelope prov;
  prov.file = prov_file(req);
  prov.given = true;
  prov.bytes = read_file(prov.file, envelope::prov::kMaxProvFile);
  return judge_prov(prov_report_base(staged), staged.archive.ok() ? &*staged.archive : nullptr,
                    prov.text(envelope::prov::kMaxProvFile), *m.keyring, m.history ? &*m.history : nullptr,
                    req.pinned_signers, now);
}

// `with_keyring`: the material has a keyring too, which judges the .prov.
KeyVerifyRequest key_request(const PlainVerifyRequest& req, bool with_keyring) {
  KeyVerifyRequest k;
  k.chart = req.chart;
  k.signature = req.signature;
  k.bundle = req.bundle;
  // Without --keyring the .prov (found or named) is checked with the key itself.
  k.prov_by_key = !with_keyring;
  if (k.prov_by_key) k.prov = req.prov;
  k.now = req.now;
  return k;
}

// The trust root's judge over the chart staged once: every envelope beside
// it, a .sig by the digest each listed key signs.
Result<PlainVerifyResult> judge_trust_dir(const PlainVerifyRequest& req, const TrustMaterial& m, std::int64_t now) {
  StageRequest stage;
  stage.chart = req.chart;
  for (const auto& k : m.trust_root->signing_keys) stage.cosign_keys.push_back(&k.key.key);
  TRY(const StagedChart staged, stage_chart(stage));
  PlainVerifyResult out;
  out.evidence = chart_evidence(staged, m, req.chart.string());
  if (staged.archive.ok()) {
    out.evidence.envelopes =
        judge_with_trust_root(staged, *m.trust_root, "", now, m.sigstore_root ? &*m.sigstore_root : nullptr);
    out.trusted = trust_report_of(staged, m.trust_root->version, out.evidence.envelopes);
  } else {
    out.trusted.emplace();
    out.trusted->trust_version = m.trust_root->version;
    out.trusted->digest = staged.digest;
    out.trusted->reasons = out.evidence.problems;
  }
  out.evidence.expiries = expiries_of(out.evidence, m.trust_root);
  TRY(const StateCheck state, apply_tlog_state(out.evidence, http_tile_getter()));
  out.trusted->reasons.insert(out.trusted->reasons.end(), state.problems.begin(), state.problems.end());
  out.decision = policy::evaluate(policy::no_environment_policy(policy::PlainTrust::trust_root), "", out.evidence, now);
  if (state.split_view) out.decision.reason_code = "split-view";
  out.trusted->verified = out.decision.allowed;
  return out;
}

// The key's judge (the .sig, the bundle, and the .prov without a keyring)
// and the keyring's (its .prov), over the chart staged once; `staged` is the
// chart when the caller has staged it for the key already.
Result<PlainVerifyResult> judge_keys(const PlainVerifyRequest& req, const TrustMaterial& m,
                                     std::optional<StagedChart> staged, std::int64_t now) {
  PlainVerifyResult out;
  if (m.key) {
    if (!staged) {
      TRY(staged, stage_for_key(key_request(req, m.keyring.has_value()), *m.key));
    }
    out.keyed =
        judge_with_key(*staged, *m.key, m.key_id, m.sigstore_root ? &*m.sigstore_root : nullptr, !m.keyring, now);
  }
  if (m.keyring) {
    if (!staged) {
      StageRequest s;
      s.chart = req.chart;
      s.find_prov = false;  // the .prov is read by its judge, --prov or not
      s.find_cosign = false;
      staged = stage_chart_or_refusal(s);
    }
    out.prov = judge_keyring_prov(req, *staged, m, now);
  }
  out.evidence = chart_evidence(*staged, m, req.chart.string());
  if (out.prov) add_prov_evidence(prov_file(req).string(), *out.prov, out.evidence);
  if (out.keyed) add_key_evidence(*out.keyed, out.evidence);
  out.evidence.expiries = expiries_of(out.evidence, std::nullopt);
  TRY(const StateCheck state, apply_tlog_state(out.evidence, http_tile_getter()));
  if (out.keyed) out.keyed->reasons.insert(out.keyed->reasons.end(), state.problems.begin(), state.problems.end());
  out.decision = policy::evaluate(policy::no_environment_policy(plain_trust_of(m.source)), "", out.evidence, now);
  if (state.split_view) out.decision.reason_code = "split-view";
  // One report alone is the verdict as printed; with both, each keeps its own.
  if (out.prov && !out.keyed) out.prov->verified = out.decision.allowed;
  if (out.keyed && !out.prov) out.keyed->verified = out.decision.allowed;
  return out;
}

Result<PlainVerifyResult> verify_trust_dir(const PlainVerifyRequest& req, std::int64_t now) {
  // The trust root and its Sigstore trusted root (or --trusted-root), as decide() loads them.
  TRY(const TrustMaterial m, load_trust_material(req.trust, now));
  return judge_trust_dir(req, m, now);
}

// One chart: the material loaded in the order plain verify has always
// refused it (the key, the chart staged for it, then the keyring).
Result<PlainVerifyResult> verify_keys(const PlainVerifyRequest& req, std::int64_t now) {
  TrustMaterial m;
  m.source = req.trust;
  std::optional<StagedChart> staged;
  if (req.trust.key) {
    TRY(m.key, load_public_key(*req.trust.key));
    if (req.trust.trusted_root) {
      TRY(m.sigstore_root, load_trusted_root(*req.trust.trusted_root));
    }
    TRY(m.key_id, crypto::spki_key_id(*m.key));
    TRY(staged, stage_for_key(key_request(req, req.trust.keyring.has_value()), *m.key));
  }
  if (req.trust.keyring) TRY_STATUS(load_keyring_material(req, m));
  return judge_keys(req, m, std::move(staged), now);
}

}  // namespace

policy::PlainTrust plain_trust_of(const TrustSource& source) {
  if (source.trust_dir) return policy::PlainTrust::trust_root;
  if (source.keyring && source.key) return policy::PlainTrust::keyring_and_key;
  return source.keyring ? policy::PlainTrust::keyring : policy::PlainTrust::key;
}

Result<PlainVerifyResult> verify_plain(const PlainVerifyRequest& request) {
  TRY_STATUS(check_one_trust_source(request.trust));
  const std::int64_t now = now_or(request.now);
  return request.trust.trust_dir ? verify_trust_dir(request, now) : verify_keys(request, now);
}

Result<PlainVerifyResult> verify_plain(const PlainVerifyRequest& request, const TrustMaterial& material) {
  const std::int64_t now = now_or(request.now);
  if (material.trust_root) return judge_trust_dir(request, material, now);
  if (!material.key && !material.keyring) return usage_error("give exactly one of --keyring, --key and --trust-dir");
  // The checks of the chart's name plain verify makes; its file is the caller's to have looked at.
  if (material.keyring) TRY_STATUS(check_request_names(keyring_request(request)));
  return judge_keys(request, material, std::nullopt, now);
}

Result<PlainOciResult> verify_plain_oci(OciVerifyRequest request) {
  const TrustMaterial* m = request.material;
  if (m != nullptr && m->trust_root) return usage_error("internal: oci:// with a trust root is a decision");
  const std::int64_t now = now_or(request.now);
  const std::string chart = request.reference.display();
  PlainOciResult out;
  TRY(out.report, verify_oci_chart(std::move(request)));
  out.evidence = oci_evidence(chart, out.report, *m);
  out.evidence.expiries = expiries_of(out.evidence, std::nullopt);
  out.decision = policy::evaluate(policy::no_environment_policy(plain_trust_of(m->source)), "", out.evidence, now);
  out.report.verified = out.decision.allowed;
  if (!out.decision.allowed && out.report.reasons.empty()) out.report.reasons = out.decision.reasons;
  return out;
}

}  // namespace chartprov::app
