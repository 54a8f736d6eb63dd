#pragma once
// writeall (signify's name): the one loop around write(2). Every writer of a whole buffer to a
// blocking descriptor (files, pipes, stderr, a terminal) calls it, so the OS call and its rules
// live in one place. Two writes stay outside on purpose: the helper-process pump in
// infra/process (a non-blocking pipe under poll, one write per readiness) and the server's
// wake-up byte (a full pipe already wakes the loop).
#include <string_view>

#include "util/bytes.hpp"

namespace chartprov {

// Writes all of `data` to the blocking descriptor `fd`: a short write goes on with the rest, a
// write interrupted by a signal (EINTR) is tried again. Returns 0 once every byte is written,
// or the errno of the write that failed (EIO for a write that wrote nothing); the bytes before
// the failure may have been written. Each caller words its own error from that value.
[[nodiscard]] int writeall(int fd, ByteView data);
[[nodiscard]] inline int writeall(int fd, std::string_view text) { return writeall(fd, as_bytes(text)); }

}  // namespace chartprov
