#pragma once
// Who asked for a sign or a decision (issue 14: events named a host, not an
// actor): the local user, the CI job from the CI system's standard
// variables, and an OIDC subject when one is given. Recorded in every event
// (app/events/event_json.hpp), hence in the audit log. The user comes from the
// process's effective uid; the CI and OIDC fields are what the job's
// environment says (claims of the CI system, as trustworthy as the runner).
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace chartprov::app {

struct CiJob {
  std::string system;      // "github-actions" | "gitlab-ci"
  std::string user;        // GITHUB_ACTOR | GITLAB_USER_LOGIN
  std::string repository;  // GITHUB_REPOSITORY | CI_PROJECT_PATH
  std::string run_id;      // GITHUB_RUN_ID | CI_JOB_ID
  std::string workflow;    // GITHUB_WORKFLOW | CI_JOB_NAME
};

struct Actor {
  std::string user;  // login name of the effective uid, else "uid:N"
  std::uint32_t uid = 0;
  std::optional<CiJob> ci;   // GITHUB_ACTIONS=true or GITLAB_CI=true
  std::string oidc_subject;  // CHARTPROV_OIDC_SUBJECT, when given
  // The admission webhook: who asked the Kubernetes API server for the
  // release (AdmissionReview request.userInfo.username); "" elsewhere.
  std::string kubernetes_user;
};

using EnvLookup = std::function<const char*(const char*)>;

// The CI job and OIDC subject from `env` (std::getenv in production); each
// value cut at 256 bytes. No CI marker variable: no CI job.
Actor actor_from_environment(const EnvLookup& env, std::uint32_t uid, const std::string& user);

// The actor of this process: the effective uid and its passwd name, and the
// process environment.
Actor current_actor();

// {"user", "uid", "ci": {"system", "user", "repository", "run_id", "workflow"}, "oidc_subject",
// "kubernetes_user"}; "ci", "oidc_subject" and "kubernetes_user" only when known.
nlohmann::ordered_json actor_json(const Actor& actor);

}  // namespace chartprov::app
