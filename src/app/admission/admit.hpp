#pragma once
// One AdmissionReview about a possible Helm release record, answered (issue
// 15): the request parsed (release::parse_admission_review), its namespace
// bound to an environment by the policy (policy/namespace_binding.hpp: the
// caller never chooses it), the record judged against that environment's
// store of verified charts (chart_store.hpp, release::judge_record_request),
// its manifest checked against the verified chart rendered again
// (manifest_check.hpp) as the environment's `admission:` settings require
// (policy/admission_settings.hpp), and the answer given by the environment's
// mode. Nothing here prints, reads a file, runs a process or talks to the
// network: the HTTPS endpoint is the caller's, and so is the renderer
// (AdmissionConfig::renderer), which admit() only calls through its
// interface.
//
// The answer, in order:
//  - an operation that cannot bring chart content (DELETE, CONNECT), or an
//    object that is not a release record: allowed, not judged;
//  - a namespace no binding matches: denied (no environment, no rule);
//  - an environment in mode off: allowed, judged only for the record;
//  - a chart object that is not exactly a verified chart (payload refused,
//    unreadable, inconsistent with its object, a chart no store holds, a
//    chart that differs, a manifest or hook naming a template the chart
//    lacks): refused with release::describe's sentence;
//  - the environment's admission is manifest: chart-only: a verified chart
//    without subcharts is allowed; one with vendored subcharts is refused,
//    saying that only the manifest shows them (fail closed);
//  - manifest: required (the default), by check_manifest's verdict:
//      kMatches: allowed;
//      kNotReproducible: with unreproducible: deny (the default), refused
//        with the reason; with unreproducible: chart-only, a chart without
//        subcharts is allowed with a warning that the manifest was not
//        checked, and one with subcharts is refused;
//      kDiffers (naming the first differing document), kRenderFailed,
//        kNoRenderer (no renderer configured: the fuzz target): refused
//        with describe()'s sentence.
// A refusal denies in mode enforce (code 403) and is allowed with the
// sentence as a warning in mode warn. A dry-run request gets the same answer.
#include <map>
#include <optional>
#include <string>

#include "app/admission/chart_store.hpp"
#include "app/admission/manifest_check.hpp"
#include "app/admission/manifest_renderer.hpp"
#include "policy/policy.hpp"
#include "release/admission_review.hpp"
#include "release/record_judgement.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct AdmissionConfig {
  const policy::Policy* policy = nullptr;           // its namespaces: bind each namespace
  std::map<std::string, const ChartStore*> stores;  // by environment; an environment without one holds no chart
  // Renders verified charts for the manifest check (make_helm_renderer, built
  // once by the server and shared by every call); null: the check cannot run,
  // so every record that needs it is refused.
  const ManifestRenderer* renderer = nullptr;
};

struct AdmissionOutcome {
  release::AdmissionResponse response;          // what build_admission_response sends back
  bool judged = false;                          // a release record was judged (false: allowed, ignored)
  std::string environment;                      // the namespace's, "" when none
  policy::Mode mode = policy::Mode::enforce;    // the environment's (enforce when none)
  std::string reason;                           // the refusal's sentence, "" when admitted as verified
  release::RecordJudgement judgement;           // unjudged: which kind; with an environment: the record's
  std::optional<ManifestCheckResult> manifest;  // when the manifest check ran
  bool dry_run = false;
  std::string namespace_name;  // the request's, for the record of the decision
  std::string object_name;     // the Secret's or ConfigMap's name
  std::string kind_name;       // "Secret", "ConfigMap"
  std::string user;            // who asked the API server ("" when the review does not say)
};

// Errors (the endpoint answers 400, the apiserver applies failurePolicy):
// parse_admission_review's refusals; a config without a policy.
[[nodiscard]] Result<AdmissionOutcome> admit(ByteView review, const AdmissionConfig& config);

}  // namespace chartprov::app
