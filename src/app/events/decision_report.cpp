#include "app/events/decision_report.hpp"

#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitDenied = 1;
constexpr int kExitError = 2;

Event event_of(const policy::Evidence& ev, const policy::Decision& d, double duration_seconds) {
  Event e;
  e.kind = "decision";
  e.environment = d.environment;
  e.chart = ev.chart;
  e.name = ev.name;
  e.version = ev.version;
  e.digest = ev.digest;
  e.signers = d.signers;
  e.decision = d.verdict();
  e.mode = std::string(policy::mode_name(d.mode));
  e.reasons = d.reasons;
  e.reason_code = d.reason_code;
  e.duration_seconds = duration_seconds;
  e.expiries = ev.expiries;
  return e;
}

// "KEY_ID16, OWNER", the key that signed an envelope, for the text.
std::string key_text(const policy::EnvelopeEvidence& e) {
  std::string key = e.key_id.empty() ? e.fingerprint : e.key_id.substr(0, 16);
  if (!e.owner.empty()) key += ", " + e.owner;
  return key;
}

std::string attestation_text(const policy::AttestationEvidence& a) {
  const auto& e = a.envelope;
  if (!a.good()) return "  Not counted attestation: " + e.source + " (" + e.reason + ")\n";
  std::string out = "  Verified attestation: " + e.source + " (" + a.predicate_type + ", key " + key_text(e) + ")\n";
  if (!a.builder_id.empty()) out += "    builder: " + a.builder_id + "\n";
  if (!a.source_repository.empty()) {
    out += "    source: " + a.source_repository + (a.source_ref.empty() ? "" : " " + a.source_ref) +
           (a.workflow_path.empty() ? "" : " (" + a.workflow_path + ")") + "\n";
  }
  return out;
}

nlohmann::json attestation_json(const policy::AttestationEvidence& a) {
  const auto& e = a.envelope;
  nlohmann::json j = {{"source", e.source}, {"status", policy::verdict_name(e.verdict)}};
  if (!e.key_id.empty()) j["key_id"] = e.key_id;
  if (!e.fingerprint.empty()) j["fingerprint"] = e.fingerprint;
  if (!e.owner.empty()) j["owner"] = e.owner;
  if (e.signed_at) j["signed_at"] = format_rfc3339(*e.signed_at);
  if (!a.predicate_type.empty()) j["predicate_type"] = a.predicate_type;
  const std::pair<const char*, const std::string*> slsa[] = {{"builder_id", &a.builder_id},
                                                             {"build_type", &a.build_type},
                                                             {"source_repository", &a.source_repository},
                                                             {"source_ref", &a.source_ref},
                                                             {"workflow", &a.workflow_path}};
  for (const auto& [name, value] : slsa) {
    if (!value->empty()) j[name] = *value;
  }
  if (!e.reason.empty()) j["reason"] = e.reason;
  return j;
}

}  // namespace

int DecisionRecord::exit_code() const {
  if (passed_unrecorded) return kExitError;
  return decision.blocks() ? kExitDenied : kExitOk;
}

int exit_after_recording(int rc, bool recorded) {
  if (recorded) return rc;
  return rc == kExitOk ? kExitError : rc;
}

policy::Decision error_decision(std::string_view environment, const Error& error) {
  policy::Decision d;
  d.environment = std::string(environment);
  d.mode = policy::Mode::enforce;
  d.allowed = false;
  d.reasons = {error.message};
  d.reason_code = "error";
  return d;
}

DecisionRecord record_decision(policy::Evidence evidence, policy::Decision decision, double duration_seconds,
                               const EventSinks& sinks, std::optional<Actor> actor) {
  DecisionRecord r;
  r.event = event_of(evidence, decision, duration_seconds);
  r.event.actor = std::move(actor);
  const auto emitted = emit(r.event, sinks);
  if (emitted) {
    r.sink_failures = emitted->failures;
    r.expiring = emitted->expiring;
    r.warnings = emitted->warnings;
  } else {
    r.unrecorded = emitted.error().message;
    if (!decision.blocks()) {
      // An allow that cannot be recorded is not an allow: production must not deploy unobserved.
      r.passed_unrecorded = true;
      decision.allowed = false;
      decision.mode = policy::Mode::enforce;
      decision.reason_code = "error";
      decision.reasons.push_back("the decision could not be recorded: " + r.unrecorded);
      r.event.decision = decision.verdict();
      r.event.mode = std::string(policy::mode_name(decision.mode));
      r.event.reason_code = decision.reason_code;
    }
  }
  r.evidence = std::move(evidence);
  r.decision = std::move(decision);
  return r;
}

std::string decision_text(const policy::Evidence& ev, const policy::Decision& d) {
  const std::string label = ev.name.empty() ? ev.chart : ev.name + " " + ev.version;
  const std::string where = d.environment.empty() ? "no environment" : d.environment;
  const std::string mode(policy::mode_name(d.mode));
  std::string out;
  if (d.allowed) {
    out = "ALLOW " + label + " for " + where + " (mode " + mode + ")\n";
  } else if (d.blocks()) {
    out = "chartprov: DENY " + label + " for " + where + " (mode enforce)\n";
  } else {
    out = "chartprov: WARNING: " + label + " would be denied in " + where + " (mode " + mode + ": not blocking)\n";
  }
  if (!d.rule.empty()) out += "  rule: " + d.rule + "\n";
  for (const auto& s : d.signers) out += "  signed by: " + s + "\n";
  for (const auto& reason : d.reasons) out += "  - " + reason + "\n";
  for (const auto& e : ev.envelopes) {
    if (e.good()) {
      out += "  Verified " + e.format + ": " + e.source + " (key " + key_text(e) + ")\n";
    } else {
      out += "  Not counted " + e.format + ": " + e.source + " (" + e.reason + ")\n";
    }
  }
  for (const auto& a : ev.attestations) out += attestation_text(a);
  if (!ev.digest.empty()) out += "  digest: " + ev.digest + "\n";
  if (!ev.trust_source.empty()) out += "  trust: " + ev.trust_source + "\n";
  return out;
}

nlohmann::json decision_json(const DecideResult& r) { return decision_json(r.evidence, r.decision); }

nlohmann::json decision_json(const policy::Evidence& ev, const policy::Decision& d) {
  nlohmann::json envelopes = nlohmann::json::array();
  for (const auto& e : ev.envelopes) {
    nlohmann::json j = {{"format", e.format}, {"source", e.source}, {"status", policy::verdict_name(e.verdict)}};
    if (!e.key_id.empty()) j["key_id"] = e.key_id;
    if (!e.fingerprint.empty()) j["fingerprint"] = e.fingerprint;
    if (!e.owner.empty()) j["owner"] = e.owner;
    if (e.signed_at) j["signed_at"] = format_rfc3339(*e.signed_at);
    if (e.in_transparency_log) j["in_transparency_log"] = true;
    if (!e.reason.empty()) j["reason"] = e.reason;
    envelopes.push_back(std::move(j));
  }
  nlohmann::json attestations = nlohmann::json::array();
  for (const auto& a : ev.attestations) attestations.push_back(attestation_json(a));
  return {{"decision", d.verdict()},
          {"allowed", d.allowed},
          {"blocks", d.blocks()},
          {"environment", d.environment},
          {"mode", std::string(policy::mode_name(d.mode))},
          {"rule", d.rule},
          {"signers", d.signers},
          {"reasons", d.reasons},
          {"reason_code", d.reason_code},
          {"chart", {{"ref", ev.chart}, {"name", ev.name}, {"version", ev.version}, {"digest", ev.digest}}},
          {"trust", ev.trust_source},
          {"problems", ev.problems},
          {"envelopes", envelopes},
          {"attestations", attestations}};
}

nlohmann::json decision_json(const DecisionRecord& r) {
  nlohmann::json j = decision_json(r.evidence, r.decision);
  std::vector<std::string> failures = r.sink_failures;
  if (!r.unrecorded.empty()) failures.push_back(r.unrecorded);
  if (!failures.empty()) j["event_failures"] = failures;
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  return j;
}

}  // namespace chartprov::app
