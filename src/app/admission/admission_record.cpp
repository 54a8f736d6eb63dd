#include "app/admission/admission_record.hpp"

#include <utility>

#include "app/events/actor.hpp"

namespace chartprov::app {
namespace {

constexpr int kDenyCode = 403;

// The facts of the stored chart the judgement compared with, or nullptr.
const StoredChartFacts* facts_of(const AdmissionOutcome& outcome, const StoreSet& stores) {
  const auto store = stores.stores.find(outcome.environment);
  return store == stores.stores.end() ? nullptr : store->second.facts_of(outcome.judgement.chart);
}

}  // namespace

policy::Evidence admission_evidence(const AdmissionOutcome& outcome, const StoreSet& stores) {
  policy::Evidence evidence;
  evidence.chart = outcome.kind_name + " " + outcome.namespace_name + "/" + outcome.object_name;
  evidence.name = outcome.judgement.chart_name;
  evidence.version = outcome.judgement.chart_version;
  const bool matched = outcome.judgement.verdict == release::RecordVerdict::kChartMatches ||
                       outcome.judgement.verdict == release::RecordVerdict::kChartMatchesSubchartsUnseen;
  const StoredChartFacts* facts = facts_of(outcome, stores);
  if (matched && facts != nullptr) evidence.digest = facts->digest;  // a chart that differs is not that chart
  return evidence;
}

policy::Decision admission_decision(const AdmissionOutcome& outcome) {
  policy::Decision decision;
  decision.environment = outcome.environment;
  decision.mode = outcome.mode;
  decision.rule = "namespace " + outcome.namespace_name +
                  (outcome.environment.empty() ? " (no binding)" : " bound to " + outcome.environment);
  decision.allowed = outcome.reason.empty();
  if (!decision.allowed) {
    decision.reasons.push_back(outcome.reason);
    const bool manifest_refused = outcome.manifest && outcome.manifest->verdict != ManifestVerdict::kMatches;
    decision.reason_code = outcome.environment.empty() ? "namespace" : manifest_refused ? "manifest" : "release";
  }
  return decision;
}

std::optional<DecisionRecord> record_admission(AdmissionOutcome& outcome, const StoreSet& stores, double seconds,
                                               const EventSinks& sinks) {
  if (!outcome.judged || outcome.dry_run) return std::nullopt;
  policy::Evidence evidence = admission_evidence(outcome, stores);
  policy::Decision decision = admission_decision(outcome);
  if (const StoredChartFacts* facts = facts_of(outcome, stores); facts != nullptr && decision.allowed) {
    decision.signers = facts->signers;
  }
  Actor actor = current_actor();
  actor.kubernetes_user = outcome.user;
  DecisionRecord record = record_decision(std::move(evidence), std::move(decision), seconds, sinks, std::move(actor));
  if (record.passed_unrecorded && outcome.response.allowed) {
    outcome.response.allowed = false;
    outcome.response.code = kDenyCode;
    outcome.response.message = "chartprov: the decision could not be recorded: " + record.unrecorded;
  }
  return record;
}

}  // namespace chartprov::app
