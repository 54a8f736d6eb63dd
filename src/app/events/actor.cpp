#include "app/events/actor.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>
#include <vector>

namespace chartprov::app {
namespace {

constexpr std::size_t kMaxField = 256;

std::string field(const EnvLookup& env, const char* name) {
  const char* v = env(name);
  if (v == nullptr) return {};
  std::string s(v);
  if (s.size() > kMaxField) s.resize(kMaxField);
  return s;
}

std::string login_name(uid_t uid) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr && found->pw_name != nullptr) {
    return found->pw_name;
  }
  return "uid:" + std::to_string(uid);  // a container user without a passwd entry
}

}  // namespace

Actor actor_from_environment(const EnvLookup& env, std::uint32_t uid, const std::string& user) {
  Actor a;
  a.uid = uid;
  a.user = user;
  if (field(env, "GITHUB_ACTIONS") == "true") {
    a.ci = CiJob{"github-actions", field(env, "GITHUB_ACTOR"), field(env, "GITHUB_REPOSITORY"),
                 field(env, "GITHUB_RUN_ID"), field(env, "GITHUB_WORKFLOW")};
  } else if (field(env, "GITLAB_CI") == "true") {
    a.ci = CiJob{"gitlab-ci", field(env, "GITLAB_USER_LOGIN"), field(env, "CI_PROJECT_PATH"), field(env, "CI_JOB_ID"),
                 field(env, "CI_JOB_NAME")};
  }
  a.oidc_subject = field(env, "CHARTPROV_OIDC_SUBJECT");
  return a;
}

Actor current_actor() {
  const uid_t uid = ::geteuid();
  return actor_from_environment([](const char* name) { return std::getenv(name); }, uid, login_name(uid));
}

nlohmann::ordered_json actor_json(const Actor& a) {
  nlohmann::ordered_json j;
  j["user"] = a.user;
  j["uid"] = a.uid;
  if (a.ci) {
    nlohmann::ordered_json ci;
    ci["system"] = a.ci->system;
    ci["user"] = a.ci->user;
    ci["repository"] = a.ci->repository;
    ci["run_id"] = a.ci->run_id;
    ci["workflow"] = a.ci->workflow;
    j["ci"] = std::move(ci);
  }
  if (!a.oidc_subject.empty()) j["oidc_subject"] = a.oidc_subject;
  if (!a.kubernetes_user.empty()) j["kubernetes_user"] = a.kubernetes_user;
  return j;
}

}  // namespace chartprov::app
