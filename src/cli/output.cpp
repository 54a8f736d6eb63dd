#include "cli/output.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace chartprov::cli {

int exit_code_for(const Error& error) { return error.kind == ErrorKind::kVerify ? kExitFailed : kExitError; }

int report_error(const Error& error, bool json) {
  std::fprintf(stderr, "chartprov: %s\n", error.message.c_str());
  if (json) {
    const nlohmann::json j = {
        {"ok", false}, {"error", error.message}, {"reasons", nlohmann::json::array({error.message})}};
    std::printf("%s\n", j.dump(2).c_str());
  }
  return exit_code_for(error);
}

}  // namespace chartprov::cli
