#include "util/private_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace chartprov {

Status create_private_file_if_missing(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return ok_status();
  }
  if (errno == EEXIST) return ok_status();
  return input_error(path.string() + ": cannot create: " + std::strerror(errno));
}

}  // namespace chartprov
