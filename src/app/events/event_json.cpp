#include "app/events/event_json.hpp"

#include "util/rfc3339.hpp"
#include "util/version.hpp"

namespace chartprov::app {
namespace {

using nlohmann::ordered_json;

std::string or_unknown(const std::string& s) { return s.empty() ? "(unknown)" : s; }

// "alice", "runner (github-actions octocat org/deploy run 42)".
std::string actor_line(const Actor& a) {
  std::string s = a.user;
  if (a.ci) s += " (" + a.ci->system + " " + a.ci->user + " " + a.ci->repository + " run " + a.ci->run_id + ")";
  if (!a.oidc_subject.empty()) s += " oidc " + a.oidc_subject;
  if (!a.kubernetes_user.empty()) s += " for kubernetes user " + a.kubernetes_user;
  return s;
}

}  // namespace

ordered_json event_json(const Event& e, std::int64_t time, const std::string& host) {
  ordered_json j;
  j["kind"] = e.kind;
  j["time"] = format_rfc3339(time);
  j["environment"] = e.environment;
  j["chart"] = e.chart;
  j["name"] = e.name;
  j["version"] = e.version;
  j["digest"] = e.digest;
  j["signers"] = e.signers;
  j["decision"] = e.decision;
  j["mode"] = e.mode;
  j["reasons"] = e.reasons;
  j["reason_code"] = e.reason_code;
  j["actor"] = e.actor ? actor_json(*e.actor) : nullptr;
  j["host"] = host;
  j["tool"] = std::string("chartprov ") + kVersion;
  return j;
}

bool is_alert(const Event& e) {
  return (e.kind == "decision" && (e.decision == "deny" || e.decision == "warn")) || e.kind == "expiry";
}

ordered_json alertmanager_alerts(const Event& e, std::int64_t time, const std::string& host) {
  const bool expiry = e.kind == "expiry";
  const bool deny = !expiry && e.decision == "deny";
  const std::string chart = e.name.empty() ? e.chart : e.name;
  ordered_json labels;
  labels["alertname"] = expiry ? "ChartprovTrustExpiringSoon"
                        : deny ? "ChartprovDeploymentDenied"
                               : "ChartprovDeploymentWarned";
  labels["severity"] = deny ? "critical" : "warning";
  // An empty label is the same as none to Alertmanager: left out.
  if (!e.environment.empty()) labels["environment"] = e.environment;
  if (!chart.empty()) labels["chart"] = chart;
  if (!e.version.empty()) labels["version"] = e.version;
  const std::string target =
      or_unknown(chart) + " " + or_unknown(e.version) + " for environment " + or_unknown(e.environment);
  const std::string summary =
      expiry ? "trust material chartprov relied on for " + target + " expires soon: renew it"
      : deny ? "chartprov denied the deployment of " + target
             : "chartprov would deny " + target + " (" + or_unknown(e.mode) + " mode: deployed anyway)";
  std::string description;
  for (const auto& r : e.reasons) description += "- " + r + "\n";
  if (e.reasons.empty()) description += "- (no reason given)\n";
  description += "chart: " + or_unknown(e.chart) + "\n";
  description += "digest: " + or_unknown(e.digest);
  ordered_json annotations;
  annotations["summary"] = summary;
  annotations["description"] = description;
  annotations["digest"] = e.digest;
  annotations["reason_code"] = e.reason_code;
  if (e.actor) annotations["actor"] = actor_line(*e.actor);
  annotations["host"] = host;
  ordered_json alert;
  alert["labels"] = labels;
  alert["annotations"] = annotations;
  alert["startsAt"] = format_rfc3339(time);
  return ordered_json::array({alert});
}

}  // namespace chartprov::app
