#pragma once
// One accepted connection's byte stream, plain TCP or TLS over it, driven on
// a non-blocking socket: every call does what it can now and says which way
// the socket must become ready before it can go on. The caller owns the
// socket and its deadlines (server/http_server.cpp polls).
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "infra/tls/tls_context.hpp"
#include "util/result.hpp"

namespace chartprov::tls {

enum class IoState {
  kDone,       // `bytes` moved (read/write) or the step finished (handshake)
  kWantRead,   // poll for POLLIN, then call again
  kWantWrite,  // poll for POLLOUT, then call again
  kClosed,     // the peer closed the stream (a read got end of stream)
  kFailed,     // a protocol or socket error: drop the connection
};

struct Io {
  IoState state = IoState::kFailed;
  std::size_t bytes = 0;
};

class Stream {
 public:
  virtual ~Stream() = default;
  // TLS: one step of the server handshake. Plain: kDone at once.
  virtual Io handshake() = 0;
  virtual Io read(std::span<char> into) = 0;
  virtual Io write(std::string_view from) = 0;
  // Bytes already received and decrypted: a read returns them without the
  // socket becoming readable again (TLS records hold more than one read).
  virtual bool has_buffered() const = 0;
  // Ends our side: TLS sends close_notify (best effort); then shutdown(SHUT_WR).
  virtual void finish() = 0;
  int fd() const { return fd_; }

 protected:
  explicit Stream(int fd) : fd_(fd) {}

 private:
  int fd_;
};

// A plain stream over `fd` (not owned).
[[nodiscard]] std::unique_ptr<Stream> make_plain_stream(int fd);

// A TLS server stream over `fd` (not owned) with `context`, which it keeps
// alive. Refusal: OpenSSL cannot make the connection object (out of memory).
[[nodiscard]] Result<std::unique_ptr<Stream>> make_tls_stream(int fd, std::shared_ptr<const TlsContext> context);

}  // namespace chartprov::tls
