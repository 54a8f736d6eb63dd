#include "util/secret_permissions.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace chartprov {
namespace {

Status check_secret_permissions(const std::filesystem::path& path, std::string_view what, bool directory) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return input_error("cannot stat " + path.string() + ": " + std::strerror(errno));
  if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
    return input_error(path.string() + (directory ? " is not a directory" : " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return input_error(std::string(what) + " " + path.string() + " is accessible by group or others (mode " + mode +
                       "); run: chmod " + (directory ? "700 " : "600 ") + path.string());
  }
  return ok_status();
}

}  // namespace

Status check_secret_file_permissions(const std::filesystem::path& path, std::string_view what) {
  return check_secret_permissions(path, what, false);
}

Status check_secret_dir_permissions(const std::filesystem::path& path, std::string_view what) {
  return check_secret_permissions(path, what, true);
}

}  // namespace chartprov
