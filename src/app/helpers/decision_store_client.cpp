#include "app/helpers/decision_store_client.hpp"

#include <chrono>

#include "app/helpers/helper_path.hpp"
#include "infra/process/process.hpp"
#include "util/secure.hpp"

namespace chartprov::app {
namespace {

constexpr std::string_view kHelperPrefix = "chartprov-log record-event: ";

// The helper's first stderr line without its prefix; empty when it said nothing.
std::string helper_reason(std::string err) {
  if (const auto nl = err.find('\n'); nl != std::string::npos) err.resize(nl);
  if (err.starts_with(kHelperPrefix)) err.erase(0, kHelperPrefix.size());
  return err;
}

}  // namespace

Status record_event_in_postgres(const std::string& url, std::string_view event_json, int timeout_ms) {
  TRY(const std::string helper, log_helper_path());
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(timeout_ms);
  limits.max_stdout = 64u << 10;
  limits.extra_env.push_back("CHARTPROV_EVENTS_DB=" + url);
  auto ran = process::run_process({helper, "record-event"}, as_bytes(event_json), limits);
  for (auto& e : limits.extra_env) secure_wipe(e.data(), e.size());
  if (!ran) return ran.error();
  if (ran->exit_code == 0) return ok_status();
  const std::string reason = helper_reason(ran->err);
  if (!reason.empty()) return input_error(reason);
  return input_error(ran->term_signal != 0 ? "chartprov-log killed by signal " + std::to_string(ran->term_signal)
                                           : "chartprov-log exited " + std::to_string(ran->exit_code));
}

}  // namespace chartprov::app
