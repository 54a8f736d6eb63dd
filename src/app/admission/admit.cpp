#include "app/admission/admit.hpp"

#include <span>

namespace chartprov::app {
namespace {

constexpr int kDenyCode = 403;

// A refusal, as the environment's mode answers it.
void refuse(AdmissionOutcome& out, policy::Mode mode, std::string reason) {
  out.reason = std::move(reason);
  if (mode == policy::Mode::enforce) {
    out.response.allowed = false;
    out.response.code = kDenyCode;
    out.response.message = "chartprov: " + out.reason;
  } else {
    out.response.allowed = true;
    out.response.warnings.push_back("chartprov (environment " + out.environment + ", mode " +
                                    std::string(policy::mode_name(mode)) + "): " + out.reason);
  }
}

// A chart object that matched a verified chart, answered by the environment's admission settings.
void answer_matching_chart(AdmissionOutcome& out, policy::Mode mode, const policy::AdmissionSettings& settings,
                           const ChartStore& store, const ManifestRenderer* renderer) {
  const release::RecordJudgement& j = out.judgement;
  const bool subcharts = j.verdict == release::RecordVerdict::kChartMatchesSubchartsUnseen;
  if (settings.manifest == policy::ManifestCheck::chart_only) {
    if (!subcharts) {
      out.response.allowed = true;
      return;
    }
    refuse(out, mode,
           release::describe(j) + ", and environment " + out.environment +
               " does not check it (admission: manifest: chart-only), so the release is not admitted");
    return;
  }
  const StoredChartFacts* facts = store.facts_of(j.chart);
  if (facts == nullptr) {  // a judgement's chart is always one of the store's
    refuse(out, mode, release::describe(j) + ", but the store holds no facts of it");
    return;
  }
  out.manifest = check_manifest(j, *facts, renderer);
  const std::string sentence = describe(*out.manifest, j);
  switch (out.manifest->verdict) {
    case ManifestVerdict::kMatches: out.response.allowed = true; return;
    case ManifestVerdict::kNotReproducible:
      if (settings.unreproducible == policy::UnreproducibleRendering::chart_only && !subcharts) {
        out.response.allowed = true;
        out.response.warnings.push_back(
            "chartprov (environment " + out.environment +
            "): the manifest was not checked (admission: unreproducible: chart-only): " + sentence);
        return;
      }
      refuse(out, mode,
             subcharts && settings.unreproducible == policy::UnreproducibleRendering::chart_only
                 ? sentence + "; the chart object alone cannot show its subcharts"
                 : sentence);
      return;
    default: refuse(out, mode, sentence); return;
  }
}

}  // namespace

Result<AdmissionOutcome> admit(ByteView review, const AdmissionConfig& config) {
  if (config.policy == nullptr) return usage_error("admission: no policy");
  TRY(const release::AdmissionRequest request, release::parse_admission_review(review));
  AdmissionOutcome out;
  out.response.uid = request.uid;
  out.dry_run = request.dry_run;
  out.namespace_name = request.namespace_name;
  out.object_name = request.name;
  out.kind_name = request.kind_name;
  out.user = request.user;

  if (!release::is_judged_request(request)) {  // no chart content can come of it
    out.response.allowed = true;
    out.judgement = release::judge_record_request(request, {});  // says which: nothing is decoded
    return out;
  }
  out.judged = true;
  const auto environment = policy::environment_for_namespace(config.policy->namespaces, request.namespace_name);
  if (!environment) {
    refuse(out, policy::Mode::enforce,
           "namespace " + request.namespace_name + " is bound to no environment in " + config.policy->source);
    return out;
  }
  out.environment = *environment;
  const policy::Environment* section = policy::find_environment(*config.policy, *environment);
  const policy::Mode mode = section != nullptr ? section->mode : policy::Mode::enforce;
  out.mode = mode;
  const policy::AdmissionSettings settings = section != nullptr ? section->admission : policy::AdmissionSettings{};
  const auto store = config.stores.find(*environment);
  const ChartStore* chart_store = store != config.stores.end() ? store->second : nullptr;
  const std::span<const release::VerifiedChart> charts =
      chart_store != nullptr ? std::span<const release::VerifiedChart>(chart_store->charts)
                             : std::span<const release::VerifiedChart>();
  out.judgement = release::judge_record_request(request, charts);
  if (mode == policy::Mode::off) {
    out.response.allowed = true;
    return out;
  }
  switch (out.judgement.verdict) {
    case release::RecordVerdict::kChartMatches:
    case release::RecordVerdict::kChartMatchesSubchartsUnseen:
      answer_matching_chart(out, mode, settings, *chart_store, config.renderer);
      break;
    default: refuse(out, mode, release::describe(out.judgement)); break;
  }
  return out;
}

}  // namespace chartprov::app
