#include <algorithm>
#include <optional>

#include "app/repo/repo_sources.hpp"
#include "app/repo/verify_repo.hpp"
#include "app/verify/decide.hpp"
#include "app/verify/oci_verify.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify_plain.hpp"
#include "infra/json/untrusted_json.hpp"

namespace chartprov::app {
namespace {

OciConnection copy_connection(const OciConnection& c) {
  OciConnection out;
  out.registry = c.registry;
  out.plain_http = c.plain_http;
  out.username = c.username;
  if (c.password) out.password.emplace(c.password->str());
  return out;
}

// One tag of an OCI repository, as verify oci:// (or verify --env) judges it.
RepoChartResult verify_oci_tag(const RepoTrustOptions& o, const policy::Policy* pol, const TrustMaterial* material,
                               const VerifyRepoRequest& req, const oci::Reference& ref) {
  RepoChartResult r;
  r.file = ref.display();
  r.version = ref.tag;
  if (pol != nullptr) {
    DecideRequest d;
    d.chart = ref.display();
    d.environment = o.environment;
    d.connection = copy_connection(req.connection);
    d.now = o.now;
    auto v = decide(*pol, d, *material);
    if (!v) {
      r.reasons.push_back(v.error().message);
      return r;
    }
    r.name = v->evidence.name;
    r.version = v->evidence.version.empty() ? ref.tag : v->evidence.version;
    r.digest = v->evidence.digest;
    r.reasons = v->decision.reasons;
    for (const auto& s : v->decision.signers) r.signer += (r.signer.empty() ? "" : ", ") + s;
    r.outcome = v->decision.allowed ? ChartOutcome::kVerified : ChartOutcome::kFailed;
    if (v->decision.allowed) r.reasons.clear();
    return r;
  }
  OciVerifyRequest v;
  v.reference = ref;
  v.connection = copy_connection(req.connection);
  v.material = material;
  v.pinned_signers = o.pinned_signers;
  v.now = o.now;
  auto plain = verify_plain_oci(std::move(v));
  if (!plain) {
    r.reasons.push_back(plain.error().message);
    return r;
  }
  const OciVerifyReport* got = &plain->report;
  r.name = got->chart_name;
  if (!got->chart_version.empty()) r.version = got->chart_version;
  r.digest = got->chart_digest;
  r.reasons = got->reasons;
  if (got->prov && got->prov->signer() != nullptr) r.signer = got->prov->signer()->fingerprint;
  if (o.key && got->cosign_signatures > 0) r.signer = got->key_id;
  r.outcome = got->verified ? ChartOutcome::kVerified : ChartOutcome::kFailed;
  // Nothing signed it at all (no .prov layer; no cosign signature): unsigned, not tampered.
  const bool only_reason = r.reasons.size() == 1;
  if (only_reason && ((o.keyring && r.reasons[0].find("without a .prov layer") != std::string::npos) ||
                      (o.key && r.reasons[0].starts_with("no cosign signature found")))) {
    r.outcome = ChartOutcome::kUnsigned;
  }
  return r;
}

}  // namespace

Result<std::vector<RepoChartResult>> verify_oci_repository(const RepoVerifier& verifier, const VerifyRepoRequest& req) {
  const RepoTrustOptions& o = req.trust;
  const oci::Reference& base = *req.oci_repository;
  if (!base.tag.empty() || !base.digest.empty())
    return usage_error("give the repository without a tag: " + base.display());
  // --env: the environment's policy; --trust-dir alone: one signature by a listed key, as
  // verify --trust-dir asks; else plain verify oci:// (no policy here).
  std::optional<policy::Policy> trust_dir_policy;
  const policy::Policy* pol = verifier.policy();
  if (pol == nullptr && o.trust_dir) {
    trust_dir_policy = policy::no_environment_policy(policy::PlainTrust::trust_root);
    pol = &*trust_dir_policy;
  }
  std::vector<std::string> tags;
  {
    TRY(OciSession session, OciSession::open(copy_connection(req.connection)));
    TRY(const auto answers, session.run(nlohmann::json::array({{{"op", "list-tags"}, {"repo", base.repository}}})));
    const OciResult& a = answers.at(0);
    if (!a.error.empty()) return input_error(base.display() + ": " + a.error);
    if (a.status != 200)
      return input_error(base.display() + ": the registry answered " + std::to_string(a.status) + " to the tag list");
    const auto j = parse_untrusted_json(a.body);
    if (!j.is_object() || !j.contains("tags") || !j["tags"].is_array())
      return input_error(base.display() + ": unreadable tag list");
    for (const auto& t : j["tags"]) {
      const std::string tag = t.get<std::string>();
      if (tag.starts_with("sha256-")) continue;  // cosign signatures and referrer fallbacks, not charts
      tags.push_back(tag);
    }
  }
  std::sort(tags.begin(), tags.end());
  std::vector<RepoChartResult> charts(tags.size());
  ProgressTally tally;
  verify_in_parallel(charts, 0, charts.size(), req.jobs, req.progress, tally, [&](std::size_t i) {
    oci::Reference ref = base;
    ref.tag = tags[i];
    return verify_oci_tag(o, pol, &verifier.material(), req, ref);
  });
  return charts;
}

}  // namespace chartprov::app
