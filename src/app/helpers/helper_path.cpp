#include "app/helpers/helper_path.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace chartprov::app {

Result<std::string> helper_path(const char* env_name, const char* program) {
  if (const char* env = std::getenv(env_name); env != nullptr && *env != '\0') return std::string(env);
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto next_to = self.parent_path() / program;
    if (::access(next_to.c_str(), X_OK) == 0) return next_to.string();
  }
  return input_error(std::string("the helper ") + program + " was not found next to the chartprov binary; set " +
                     env_name);
}

}  // namespace chartprov::app
