#include "infra/tls/tls_stream.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>
#include <utility>

namespace chartprov::tls {
namespace {

class PlainStream final : public Stream {
 public:
  explicit PlainStream(int fd) : Stream(fd) {}
  Io handshake() override { return {IoState::kDone, 0}; }
  Io read(std::span<char> into) override {
    while (true) {
      const ssize_t n = ::recv(fd(), into.data(), into.size(), 0);
      if (n > 0) return {IoState::kDone, static_cast<std::size_t>(n)};
      if (n == 0) return {IoState::kClosed, 0};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoState::kWantRead, 0};
      return {IoState::kFailed, 0};
    }
  }
  Io write(std::string_view from) override {
    while (true) {
      const ssize_t n = ::send(fd(), from.data(), from.size(), MSG_NOSIGNAL);
      if (n >= 0) return {IoState::kDone, static_cast<std::size_t>(n)};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return {IoState::kWantWrite, 0};
      return {IoState::kFailed, 0};
    }
  }
  bool has_buffered() const override { return false; }
  void finish() override { ::shutdown(fd(), SHUT_WR); }
};

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

class TlsStream final : public Stream {
 public:
  TlsStream(int fd, std::shared_ptr<const TlsContext> context, SSL* ssl)
      : Stream(fd), context_(std::move(context)), ssl_(ssl) {}

  Io handshake() override {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl_.get());
    return r == 1 ? Io{IoState::kDone, 0} : failure(r);
  }
  Io read(std::span<char> into) override {
    ERR_clear_error();
    std::size_t got = 0;
    const int r = SSL_read_ex(ssl_.get(), into.data(), into.size(), &got);
    return r == 1 ? Io{IoState::kDone, got} : failure(r);
  }
  Io write(std::string_view from) override {
    ERR_clear_error();
    std::size_t put = 0;
    const int r = SSL_write_ex(ssl_.get(), from.data(), from.size(), &put);
    return r == 1 ? Io{IoState::kDone, put} : failure(r);
  }
  bool has_buffered() const override { return SSL_pending(ssl_.get()) > 0; }
  void finish() override {
    ERR_clear_error();
    if (SSL_is_init_finished(ssl_.get()) == 1) SSL_shutdown(ssl_.get());  // close_notify, not waiting for the peer's
    ERR_clear_error();
    ::shutdown(fd(), SHUT_WR);
  }

 private:
  Io failure(int r) {
    const int e = SSL_get_error(ssl_.get(), r);
    ERR_clear_error();  // the queue is per thread: nothing of this connection reaches the next
    switch (e) {
      case SSL_ERROR_WANT_READ: return {IoState::kWantRead, 0};
      case SSL_ERROR_WANT_WRITE: return {IoState::kWantWrite, 0};
      case SSL_ERROR_ZERO_RETURN: return {IoState::kClosed, 0};
      default: return {IoState::kFailed, 0};  // SSL_ERROR_SYSCALL (reset, EOF mid-record), SSL_ERROR_SSL
    }
  }

  std::shared_ptr<const TlsContext> context_;  // the configuration this connection was accepted under
  std::unique_ptr<SSL, SslFree> ssl_;
};

}  // namespace

std::unique_ptr<Stream> make_plain_stream(int fd) { return std::make_unique<PlainStream>(fd); }

Result<std::unique_ptr<Stream>> make_tls_stream(int fd, std::shared_ptr<const TlsContext> context) {
  SSL* ssl = SSL_new(context->native());
  if (ssl == nullptr) {
    ERR_clear_error();
    return internal_error("TLS: cannot create a connection (out of memory)");
  }
  std::unique_ptr<SSL, SslFree> owned(ssl);
  if (SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    return internal_error("TLS: cannot attach the socket");
  }
  SSL_set_accept_state(ssl);
  return std::unique_ptr<Stream>(std::make_unique<TlsStream>(fd, std::move(context), owned.release()));
}

}  // namespace chartprov::tls
