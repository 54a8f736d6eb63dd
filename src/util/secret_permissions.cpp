#include "util/secret_permissions.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace chartprov {
namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Result<struct stat> stat_secret(const std::filesystem::path& path, bool directory) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return input_error("cannot stat " + path.string() + ": " + std::strerror(errno));
  if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
    return input_error(path.string() + (directory ? " is not a directory" : " is not a regular file"));
  }
  return st;
}

Status check_secret_permissions(const std::filesystem::path& path, std::string_view what, bool directory) {
  TRY(const struct stat st, stat_secret(path, directory));
  if ((st.st_mode & 077) != 0) {
    return input_error(std::string(what) + " " + path.string() + " is accessible by group or others (mode " +
                       mode_text(st.st_mode) + "); run: chmod " + (directory ? "700 " : "600 ") + path.string());
  }
  return ok_status();
}

}  // namespace

Status check_secret_file_permissions(const std::filesystem::path& path, std::string_view what) {
  return check_secret_permissions(path, what, false);
}

Status check_group_secret_file_permissions(const std::filesystem::path& path, std::string_view what) {
  TRY(const struct stat st, stat_secret(path, false));
  if ((st.st_mode & 027) != 0) {
    return input_error(std::string(what) + " " + path.string() +
                       " is accessible by others or writable by group (mode " + mode_text(st.st_mode) +
                       "); run: chmod 440 " + path.string());
  }
  return ok_status();
}

Status check_secret_dir_permissions(const std::filesystem::path& path, std::string_view what) {
  return check_secret_permissions(path, what, true);
}

}  // namespace chartprov
