#include "app/helpers/oci_client.hpp"

#include <unistd.h>

#include <cstdlib>

#include "app/helpers/helper_path.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/process/json_request.hpp"
#include "infra/process/process.hpp"
#include "oci/docker_config.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

std::filesystem::path docker_config_path() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d != nullptr && *d != '\0')
    return std::filesystem::path(d) / "config.json";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "/") / ".docker" / "config.json";
}

// docker-credential-<name> on PATH (no shell; the name was checked to be plain).
std::optional<std::string> find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (dir.empty() || dir.front() != '/') continue;
    const std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace

Status resolve_registry_credentials(OciConnection& c) {
  if (c.password) return ok_status();
  const auto path = docker_config_path();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ok_status();
  TRY(const std::string text, read_text_file(path, oci::kMaxDockerConfig));
  auto entry = oci::docker_auth_for(text, c.registry);
  if (!entry) return entry.error().with_context(path.string());
  if (entry->credentials) {
    c.username = entry->credentials->username;
    c.password = std::move(entry->credentials->password);
    return ok_status();
  }
  if (entry->helper.empty()) return ok_status();
  const auto helper = find_on_path("docker-credential-" + entry->helper);
  if (!helper)
    return input_error("the Docker config names credential helper docker-credential-" + entry->helper +
                       ", not on PATH");
  auto run = process::run_process({*helper, "get"}, as_bytes(c.registry));
  if (!run) return run.error();
  if (run->exit_code != 0) return ok_status();  // no credentials for this host: anonymous
  TRY(auto creds, oci::parse_helper_answer(run->out));
  secure_wipe(run->out.data(), run->out.size());
  c.username = creds.username;
  c.password = std::move(creds.password);
  return ok_status();
}

Result<OciSession> OciSession::open(OciConnection c) {
  TRY(TempDir dir, TempDir::create("chartprov-oci"));
  return OciSession(std::move(c), std::move(dir));
}

OciSession::OciSession(OciSession&& o) noexcept : connection_(std::move(o.connection_)), dir_(std::move(o.dir_)) {}

Result<std::vector<OciResult>> OciSession::run(nlohmann::json ops) {
  TRY(const std::string helper, oci_helper_path());
  const std::size_t asked = ops.size();
  nlohmann::json request = {{"protocol", "chartprov-oci/1"},
                            {"registry", connection_.registry},
                            {"plain_http", connection_.plain_http},
                            {"ops", std::move(ops)}};
  if (connection_.password) {
    request["username"] = connection_.username.value_or("");
    request["password"] = connection_.password->str();
  }
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(600000);
  limits.max_stdout = kMaxOciAnswer;
  auto r = process::run_json_request(helper, std::move(request), limits);
  if (!r) return r.error();
  if (r->exit_code != 0) return input_error("chartprov-oci failed: " + r->err);
  const auto answer = parse_untrusted_json(r->out);
  if (!answer.is_object() || !answer.contains("results") || !answer["results"].is_array()) {
    return input_error("chartprov-oci answered something unreadable");
  }
  std::vector<OciResult> out;
  for (const auto& j : answer["results"]) {
    OciResult o;
    if (!j.is_object()) return input_error("chartprov-oci answered something unreadable");
    if (j.contains("status") && j["status"].is_number_integer()) o.status = j["status"].get<long>();
    if (j.contains("media_type") && j["media_type"].is_string()) o.media_type = j["media_type"].get<std::string>();
    if (j.contains("digest") && j["digest"].is_string()) o.digest_header = j["digest"].get<std::string>();
    if (j.contains("error") && j["error"].is_string()) o.error = j["error"].get<std::string>();
    if (j.contains("oci_subject") && j["oci_subject"].is_string()) o.oci_subject = j["oci_subject"].get<std::string>();
    if (j.contains("body") && j["body"].is_string()) {
      auto b = base64_decode(j["body"].get<std::string>());
      if (!b) return input_error("chartprov-oci answered a body that is not base64");
      o.body = std::move(*b);
    }
    out.push_back(std::move(o));
  }
  if (out.size() != asked) return input_error("chartprov-oci answered something unreadable");
  return out;
}

}  // namespace chartprov::app
