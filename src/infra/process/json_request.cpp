#include "infra/process/json_request.hpp"

#include "infra/json/untrusted_json.hpp"
#include "util/secure.hpp"

namespace chartprov::process {

void wipe_strings(nlohmann::json& request) {
  for (auto& [name, value] : request.items()) {
    if (value.is_string()) {
      auto& s = value.get_ref<std::string&>();
      secure_wipe(s.data(), s.size());
    }
  }
}

Result<ProcessResult> run_json_request(const std::string& program, nlohmann::json request,
                                       const ProcessLimits& limits) {
  std::string body = request.dump();
  wipe_strings(request);
  auto run = run_process({program}, as_bytes(body), limits);
  secure_wipe(body.data(), body.size());
  return run;
}

std::string json_error_message(std::string_view out) {
  const auto answer = parse_untrusted_json(out);
  if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
    return answer["error"].get<std::string>();
  }
  return "";
}

}  // namespace chartprov::process
