#pragma once
// The shapes events take on the wire (app/events/events.hpp): the event itself (the
// audit log record, the stderr line, the webhook body) and the
// Alertmanager-compatible alert list POSTed to alert webhooks
// (POST /api/v2/alerts: a JSON array of {labels, annotations, startsAt}).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "app/events/event.hpp"

namespace chartprov::app {

// kind, time (RFC 3339), environment, chart, name, version, digest, signers,
// decision, mode, reasons, reason_code, actor (app/events/actor.hpp; null when
// unknown), for kind "monitor" log and log_index (null for a finding about
// the log itself), host, tool ("chartprov <version>").
nlohmann::ordered_json event_json(const Event& event, std::int64_t time, const std::string& host);

// Whether an event raises an alert: a decision or a log monitor's finding
// that is deny or warn, and every expiry warning.
bool is_alert(const Event& event);

// One alert, as an array of one: alertname ChartprovDeploymentDenied
// (severity critical) or ChartprovDeploymentWarned (warning); labels
// environment, chart, version; annotations summary, description (every
// reason and the digest), digest, reason_code, actor (the user, and the CI
// job when there is one), host; startsAt. A monitor event's alert is named
// after its reason code ("log_split_view": ChartprovLogSplitView), severity
// critical for deny, warning for warn, labels log, chart, version;
// annotations summary (its first reason), description, digest, reason_code,
// log_index, host.
nlohmann::ordered_json alertmanager_alerts(const Event& event, std::int64_t time, const std::string& host);

}  // namespace chartprov::app
