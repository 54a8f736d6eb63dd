#include "cli/trust_state_option.hpp"

#include <cstdlib>
#include <filesystem>

namespace chartprov::cli {

void use_trust_state_file(const std::string& file) {
  std::error_code ec;
  const std::filesystem::path abs = file.empty() ? std::filesystem::path() : std::filesystem::absolute(file, ec);
  ::setenv("CHARTPROV_TRUST_STATE", (ec ? std::filesystem::path(file) : abs).c_str(), 1);
}

void use_tlog_state_file(const std::string& file) {
  std::error_code ec;
  const std::filesystem::path abs = file.empty() ? std::filesystem::path() : std::filesystem::absolute(file, ec);
  ::setenv("CHARTPROV_TLOG_STATE", (ec ? std::filesystem::path(file) : abs).c_str(), 1);
}

}  // namespace chartprov::cli
