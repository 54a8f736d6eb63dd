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

// "log_split_view" -> "ChartprovLogSplitView": a monitor alert's name.
std::string monitor_alert_name(const std::string& reason_code) {
  std::string name = "Chartprov";
  bool upper = true;
  for (const char c : reason_code) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return name;
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
  if (e.kind == "monitor") {
    j["log"] = e.log;
    j["log_index"] = e.log_index ? ordered_json(*e.log_index) : ordered_json(nullptr);
  }
  j["host"] = host;
  j["tool"] = std::string("chartprov ") + kVersion;
  return j;
}

bool is_alert(const Event& e) {
  return ((e.kind == "decision" || e.kind == "monitor") && (e.decision == "deny" || e.decision == "warn")) ||
         e.kind == "expiry";
}

namespace {

// A log monitor's finding (app/log/monitor.hpp): named by its reason code,
// labelled with the log, and the chart and version when it is about an entry.
ordered_json monitor_alerts(const Event& e, std::int64_t time, const std::string& host) {
  const bool deny = e.decision == "deny";
  ordered_json labels;
  labels["alertname"] = monitor_alert_name(e.reason_code);
  labels["severity"] = deny ? "critical" : "warning";
  if (!e.log.empty()) labels["log"] = e.log;
  if (!e.name.empty()) labels["chart"] = e.name;
  if (!e.version.empty()) labels["version"] = e.version;
  std::string description;
  for (const auto& r : e.reasons) description += "- " + r + "\n";
  if (e.reasons.empty()) description += "- (no reason given)\n";
  if (e.log_index) description += "log entry: " + std::to_string(*e.log_index) + "\n";
  for (const auto& s : e.signers) description += "signer: " + s + "\n";
  description += "digest: " + or_unknown(e.digest);
  ordered_json annotations;
  annotations["summary"] = "chartprov log monitor: " + (e.reasons.empty() ? e.reason_code : e.reasons.front());
  annotations["description"] = description;
  annotations["digest"] = e.digest;
  annotations["reason_code"] = e.reason_code;
  if (e.log_index) annotations["log_index"] = std::to_string(*e.log_index);
  annotations["host"] = host;
  ordered_json alert;
  alert["labels"] = labels;
  alert["annotations"] = annotations;
  alert["startsAt"] = format_rfc3339(time);
  return ordered_json::array({alert});
}

}  // namespace

ordered_json alertmanager_alerts(const Event& e, std::int64_t time, const std::string& host) {
  if (e.kind == "monitor") return monitor_alerts(e, time, host);
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
