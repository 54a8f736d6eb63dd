#include "util/writeall.hpp"

#include <unistd.h>

#include <cerrno>

namespace chartprov {

int writeall(int fd, ByteView data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace chartprov
