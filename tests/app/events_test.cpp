// The event and alert shapes (app/events/event_json.hpp) and emit()'s failure rules.
#include "app/events/events.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "app/events/event_json.hpp"
#include "audit/audit_log.hpp"
#include "support/test_support.hpp"
#include "util/version.hpp"

namespace chartprov::app {
namespace {

EnvLookup lookup(const std::map<std::string, std::string>& env) {
  return [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
}

Event deny_event() {
  Event e;
  e.kind = "decision";
  e.environment = "production";
  e.chart = "api-1.2.3.tgz";
  e.name = "api";
  e.version = "1.2.3";
  e.digest = "sha256:" + std::string(64, 'a');
  e.signers = {"key-1"};
  e.decision = "deny";
  e.mode = "enforce";
  e.reasons = {"no signature by a key the trust root lists", "the .prov is signed by an unknown key"};
  e.reason_code = "untrusted-signer";
  return e;
}

TEST(EventJson, HasEveryFieldInOrder) {
  const auto j = event_json(deny_event(), 1795000000, "build-7");
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"kind", "time", "environment", "chart", "name", "version", "digest", "signers",
                                      "decision", "mode", "reasons", "reason_code", "actor", "host", "tool"}));
  EXPECT_TRUE(j["actor"].is_null());  // unknown until emit() fills it
  EXPECT_EQ(j["time"], "2026-11-18T11:06:40Z");
  EXPECT_EQ(j["decision"], "deny");
  EXPECT_EQ(j["reasons"].size(), 2u);
  EXPECT_EQ(j["signers"][0], "key-1");
  EXPECT_EQ(j["host"], "build-7");
  EXPECT_EQ(j["tool"], std::string("chartprov ") + kVersion);
}

// Issue 14: an event names who asked, from the user and the CI system's own variables.
TEST(Actor, FromGitHubActions) {
  const std::map<std::string, std::string> env = {{"GITHUB_ACTIONS", "true"},
                                                  {"GITHUB_ACTOR", "octocat"},
                                                  {"GITHUB_REPOSITORY", "org/deploy"},
                                                  {"GITHUB_RUN_ID", "4242"},
                                                  {"GITHUB_WORKFLOW", "release"},
                                                  {"GITLAB_USER_LOGIN", "not-this"},
                                                  {"CHARTPROV_OIDC_SUBJECT", "repo:org/deploy:ref:refs/heads/main"}};
  const auto a = actor_from_environment(lookup(env), 1001, "runner");
  const auto j = actor_json(a);
  EXPECT_EQ(j.dump(), R"({"user":"runner","uid":1001,"ci":{"system":"github-actions","user":"octocat",)"
                      R"("repository":"org/deploy","run_id":"4242","workflow":"release"},)"
                      R"("oidc_subject":"repo:org/deploy:ref:refs/heads/main"})");
  Event e = deny_event();
  e.actor = a;
  EXPECT_EQ(event_json(e, 1795000000, "h")["actor"]["ci"]["user"], "octocat");
  EXPECT_EQ(alertmanager_alerts(e, 1795000000, "h")[0]["annotations"]["actor"],
            "runner (github-actions octocat org/deploy run 4242) oidc repo:org/deploy:ref:refs/heads/main");
}

TEST(Actor, FromGitLabCiAndOutsideCi) {
  const std::map<std::string, std::string> gitlab = {
      {"GITLAB_CI", "true"}, {"GITLAB_USER_LOGIN", "alice"}, {"CI_PROJECT_PATH", "grp/app"},
      {"CI_JOB_ID", "77"},   {"CI_JOB_NAME", "deploy-prod"}, {"GITHUB_ACTOR", std::string(300, 'x')}};
  auto a = actor_from_environment(lookup(gitlab), 0, "root");
  ASSERT_TRUE(a.ci.has_value());
  EXPECT_EQ(a.ci->system, "gitlab-ci");
  EXPECT_EQ(a.ci->user, "alice");
  EXPECT_EQ(a.ci->repository, "grp/app");
  EXPECT_EQ(a.ci->run_id, "77");
  EXPECT_EQ(a.ci->workflow, "deploy-prod");
  EXPECT_FALSE(actor_json(a).contains("oidc_subject"));
  // Without the CI system's marker variable, its other variables are not a CI job.
  const std::map<std::string, std::string> local = {{"GITHUB_ACTOR", "someone"}, {"CI_JOB_ID", "1"}};
  a = actor_from_environment(lookup(local), 1000, "dev");
  EXPECT_FALSE(a.ci.has_value());
  EXPECT_EQ(actor_json(a).dump(), R"({"user":"dev","uid":1000})");
  // Values are bounded.
  const std::map<std::string, std::string> long_sub = {{"CHARTPROV_OIDC_SUBJECT", std::string(1000, 's')}};
  EXPECT_EQ(actor_from_environment(lookup(long_sub), 1, "u").oidc_subject.size(), 256u);
}

TEST(AlertJson, DenyIsACriticalAlertWithEveryReason) {
  const auto a = alertmanager_alerts(deny_event(), 1795000000, "build-7");
  ASSERT_TRUE(a.is_array());
  ASSERT_EQ(a.size(), 1u);
  const auto& labels = a[0]["labels"];
  EXPECT_EQ(labels["alertname"], "ChartprovDeploymentDenied");
  EXPECT_EQ(labels["severity"], "critical");
  EXPECT_EQ(labels["environment"], "production");
  EXPECT_EQ(labels["chart"], "api");
  EXPECT_EQ(labels["version"], "1.2.3");
  const std::string description = a[0]["annotations"]["description"];
  EXPECT_NE(description.find("no signature by a key the trust root lists"), std::string::npos);
  EXPECT_NE(description.find("the .prov is signed by an unknown key"), std::string::npos);
  EXPECT_NE(description.find(deny_event().digest), std::string::npos);
  EXPECT_NE(std::string(a[0]["annotations"]["summary"]).find("denied"), std::string::npos);
  EXPECT_EQ(a[0]["annotations"]["digest"], deny_event().digest);
  EXPECT_EQ(a[0]["startsAt"], "2026-11-18T11:06:40Z");
  // Alertmanager takes string labels and annotations only.
  for (const auto& [k, v] : labels.items()) EXPECT_TRUE(v.is_string()) << k;
  for (const auto& [k, v] : a[0]["annotations"].items()) EXPECT_TRUE(v.is_string()) << k;
}

TEST(AlertJson, WarnIsAWarningAndEmptyLabelsAreLeftOut) {
  Event e = deny_event();
  e.decision = "warn";
  e.mode = "warn";
  e.environment.clear();
  const auto a = alertmanager_alerts(e, 1795000000, "h");
  EXPECT_EQ(a[0]["labels"]["alertname"], "ChartprovDeploymentWarned");
  EXPECT_EQ(a[0]["labels"]["severity"], "warning");
  EXPECT_FALSE(a[0]["labels"].contains("environment"));
  EXPECT_NE(std::string(a[0]["annotations"]["summary"]).find("warn mode"), std::string::npos);
}

TEST(AlertJson, OnlyDenyAndWarnDecisionsAlert) {
  Event e = deny_event();
  EXPECT_TRUE(is_alert(e));
  e.decision = "warn";
  EXPECT_TRUE(is_alert(e));
  e.decision = "allow";
  EXPECT_FALSE(is_alert(e));
  e.kind = "sign";
  e.decision = "failed";
  EXPECT_FALSE(is_alert(e));
}

TEST(Emit, AppendsToTheHashChainedAuditLog) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.audit_log = dir / "audit.jsonl";
  Event e = deny_event();
  e.time = 1795000000;
  ASSERT_TRUE(emit(e, sinks).ok());
  e.decision = "allow";
  ASSERT_TRUE(emit(e, sinks).ok());
  const auto chain = audit::verify_chain(*sinks.audit_log);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact);
  EXPECT_EQ(chain->lines, 2u);
  const std::string text = test::read_text(*sinks.audit_log);
  const auto first = nlohmann::json::parse(text.substr(0, text.find('\n')));
  EXPECT_EQ(first["event"]["decision"], "deny");
  EXPECT_EQ(first["event"]["reason_code"], "untrusted-signer");
  EXPECT_EQ(first["time"], "2026-11-18T11:06:40Z");
}

// A chart name is the user's bytes: invalid UTF-8 reaches the audit log as U+FFFD, the same
// in the record as in every other sink, and the chain still verifies.
TEST(Emit, InvalidUtf8IsReplacedInTheAuditLog) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.audit_log = dir / "audit.jsonl";
  Event e = deny_event();
  e.chart = "api-\xff\xfe.tgz";
  e.reasons = {"bad \xc3\x28 byte"};
  ASSERT_TRUE(emit(e, sinks).ok());
  const auto chain = audit::verify_chain(*sinks.audit_log);
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact);
  const auto line = nlohmann::json::parse(test::read_text(*sinks.audit_log));
  EXPECT_EQ(line["event"]["chart"], "api-\xef\xbf\xbd\xef\xbf\xbd.tgz");
  EXPECT_EQ(line["event"]["reasons"][0], "bad \xef\xbf\xbd( byte");
}

TEST(Emit, RecordsTheActorInTheAuditLog) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.audit_log = dir / "audit.jsonl";
  ::setenv("CHARTPROV_OIDC_SUBJECT", "sub-of-this-test", 1);
  const auto r = emit(deny_event(), sinks);
  ::unsetenv("CHARTPROV_OIDC_SUBJECT");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto line = nlohmann::json::parse(test::read_text(*sinks.audit_log));
  EXPECT_EQ(line["event"]["actor"]["uid"], ::geteuid());
  EXPECT_FALSE(line["event"]["actor"]["user"].get<std::string>().empty());
  EXPECT_EQ(line["event"]["actor"]["oidc_subject"], "sub-of-this-test");
}

TEST(Emit, AnUnwritableAuditLogFailsTheEmit) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.audit_log = dir / "no-such-dir" / "audit.jsonl";
  const auto r = emit(deny_event(), sinks);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("audit log"), std::string::npos);
}

TEST(Emit, CountsDecisionsInTheMetricsTextfile) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.metrics_textfile = dir / "chartprov.prom";
  ASSERT_TRUE(emit(deny_event(), sinks).ok());
  Event sign = deny_event();
  sign.kind = "sign";
  sign.decision = "signed";
  ASSERT_TRUE(emit(sign, sinks).ok());  // not a verification: not counted
  const std::string text = test::read_text(*sinks.metrics_textfile);
  EXPECT_NE(
      text.find("chartprov_verifications_total{env=\"production\",decision=\"deny\",reason=\"untrusted-signer\"} 1"),
      std::string::npos)
      << text;
  EXPECT_EQ(text.find("signed"), std::string::npos) << text;
}

// Issue 14: trust material that expires within the window raises an
// "expiry" event after the decision, and the metrics count it by kind.
TEST(Emit, TrustMaterialExpiringSoonRaisesAnExpiryEvent) {
  test::TempDir dir;
  EventSinks sinks;
  sinks.audit_log = dir / "audit.jsonl";
  sinks.metrics_textfile = dir / "chartprov.prom";
  Event e = deny_event();
  e.decision = "allow";
  e.reason_code = "";
  e.time = 1795000000;
  e.expiries = {{policy::ExpiryKind::trust_root, "trust root v3", e.time + 10 * 86400},
                {policy::ExpiryKind::signing_key, "key 0123456789abcdef (ci)", e.time + 400 * 86400}};
  const auto r = emit(e, sinks);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], "trust root v3 expires at 2026-11-28T11:06:40Z, in 10 days");
  const std::string text = test::read_text(*sinks.audit_log);
  const auto second = nlohmann::json::parse(text.substr(text.find('\n') + 1));
  EXPECT_EQ(second["event"]["kind"], "expiry");
  EXPECT_EQ(second["event"]["decision"], "warn");
  EXPECT_EQ(second["event"]["reason_code"], "expiry");
  EXPECT_EQ(second["event"]["reasons"][0], r->warnings[0]);
  const std::string prom = test::read_text(*sinks.metrics_textfile);
  EXPECT_NE(prom.find("chartprov_expiry_warnings_total{env=\"production\",kind=\"trust-root\"} 1"), std::string::npos)
      << prom;
  EXPECT_NE(prom.find("decision=\"allow\",reason=\"\"} 1"), std::string::npos) << prom;  // counted once
  Event x = e;
  x.kind = "expiry";
  EXPECT_TRUE(is_alert(x));
  EXPECT_EQ(alertmanager_alerts(x, e.time, "h")[0]["labels"]["alertname"], "ChartprovTrustExpiringSoon");
  // Off (0 days), or nothing within the window: no warning, one event.
  sinks.expiry_warning_seconds = 0;
  const auto quiet = emit(e, sinks);
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->warnings.empty());
  const auto chain = audit::verify_chain(*sinks.audit_log);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(chain->lines, 3u);
}

// A refused connection (nothing listens on port 1) is a real delivery failure.
class EmitAlerts : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto helper = std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-oci";
    if (!std::filesystem::exists(helper)) GTEST_SKIP() << "chartprov-oci is not built";
    ::setenv("CHARTPROV_OCI", helper.c_str(), 1);
    sinks.alert_webhooks = {"http://alice:s3cret@127.0.0.1:1/api/v2/alerts?token=t0ken"};
    sinks.alert_retries = 0;
    sinks.alert_timeout_ms = 2000;
  }
  EventSinks sinks;
};

TEST_F(EmitAlerts, AFailedAlertIsReportedWithoutItsCredentials) {
  const auto r = emit(deny_event(), sinks);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_NE(r->failures[0].find("alert webhook http://***@127.0.0.1:1/api/v2/alerts?***"), std::string::npos)
      << r->failures[0];
  EXPECT_EQ(r->failures[0].find("s3cret"), std::string::npos);
  EXPECT_EQ(r->failures[0].find("t0ken"), std::string::npos);
}

TEST_F(EmitAlerts, FailsTheEmitUnderFailIfAlertFails) {
  sinks.fail_if_alert_fails = true;
  const auto r = emit(deny_event(), sinks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("s3cret"), std::string::npos);
}

TEST_F(EmitAlerts, AnAllowSendsNoAlert) {
  sinks.fail_if_alert_fails = true;
  Event e = deny_event();
  e.decision = "allow";
  const auto r = emit(e, sinks);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->failures.empty());
}

}  // namespace
}  // namespace chartprov::app
