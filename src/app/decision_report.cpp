#include "app/decision_report.hpp"

#include "util/rfc3339.hpp"

namespace chartprov::app {

nlohmann::json decision_json(const DecideResult& r) { return decision_json(r.evidence, r.decision); }

nlohmann::json decision_json(const policy::Evidence& ev, const policy::Decision& d) {
  nlohmann::json envelopes = nlohmann::json::array();
  for (const auto& e : ev.envelopes) {
    nlohmann::json j = {{"format", e.format}, {"source", e.source}, {"status", e.status}};
    if (!e.key_id.empty()) j["key_id"] = e.key_id;
    if (!e.fingerprint.empty()) j["fingerprint"] = e.fingerprint;
    if (!e.owner.empty()) j["owner"] = e.owner;
    if (e.signed_at) j["signed_at"] = format_rfc3339(*e.signed_at);
    if (e.in_transparency_log) j["in_transparency_log"] = true;
    if (!e.reason.empty()) j["reason"] = e.reason;
    envelopes.push_back(std::move(j));
  }
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
          {"envelopes", envelopes}};
}

Event decision_event(const DecideResult& r, double duration_seconds) {
  Event e;
  e.kind = "decision";
  e.environment = r.decision.environment;
  e.chart = r.evidence.chart;
  e.name = r.evidence.name;
  e.version = r.evidence.version;
  e.digest = r.evidence.digest;
  e.signers = r.decision.signers;
  e.decision = r.decision.verdict();
  e.mode = std::string(policy::mode_name(r.decision.mode));
  e.reasons = r.decision.reasons;
  e.reason_code = r.decision.reason_code;
  e.duration_seconds = duration_seconds;
  return e;
}

Event failed_decision_event(const std::string& chart, const std::string& environment, const Error& error,
                            double duration_seconds) {
  Event e;
  e.kind = "decision";
  e.environment = environment;
  e.chart = chart;
  e.decision = "deny";
  e.mode = "enforce";
  e.reasons = {error.message};
  e.reason_code = "error";
  e.duration_seconds = duration_seconds;
  return e;
}

}  // namespace chartprov::app
