#include "app/helper_path.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace chartprov::app {

Result<std::string> rnp_helper_path() {
  if (const char* env = std::getenv("CHARTPROV_RNP"); env != nullptr && *env != '\0') return std::string(env);
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto next_to = self.parent_path() / "chartprov-rnp";
    if (::access(next_to.c_str(), X_OK) == 0) return next_to.string();
  }
  return input_error("the helper chartprov-rnp was not found next to the chartprov binary; set CHARTPROV_RNP");
}

}  // namespace chartprov::app
