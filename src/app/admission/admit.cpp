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
  const auto store = config.stores.find(*environment);
  const std::span<const release::VerifiedChart> charts =
      store != config.stores.end() && store->second != nullptr
          ? std::span<const release::VerifiedChart>(store->second->charts)
          : std::span<const release::VerifiedChart>();
  out.judgement = release::judge_record_request(request, charts);
  if (mode == policy::Mode::off) {
    out.response.allowed = true;
    return out;
  }
  switch (out.judgement.verdict) {
    case release::RecordVerdict::kChartMatches: out.response.allowed = true; break;
    case release::RecordVerdict::kChartMatchesSubchartsUnseen:
      refuse(out, mode,
             release::describe(out.judgement) +
                 "; checking the rendered manifest, which alone shows subcharts, is not built yet, so the release is "
                 "not admitted");
      break;
    default: refuse(out, mode, release::describe(out.judgement)); break;
  }
  return out;
}

}  // namespace chartprov::app
