#pragma once
// A small HTTP/1.1 server for `chartprov serve`: POSIX sockets, one listening
// socket on a numeric IP:port (loopback unless remote clients are allowed),
// plain TCP or TLS (ServerOptions::make_stream), a fixed pool of workers that each serve one connection at a time
// (keep-alive, a bounded number of requests per connection; a busy connection
// makes way for one that has waited, ServerOptions::yield_after), read and write
// deadlines per request, and a graceful stop: no new connections, requests
// in progress are answered, idle connections are closed.
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "infra/tls/tls_stream.hpp"
#include "server/http_request.hpp"
#include "util/fd.hpp"
#include "util/result.hpp"

namespace chartprov::server {

struct ListenAddress {
  sockaddr_storage addr{};
  socklen_t len = 0;
  bool loopback = false;
  std::string text;  // as given, normalised: "127.0.0.1:8080", "[::1]:8080"
};

// "IPv4:PORT" or "[IPv6]:PORT"; numeric only (no name lookup). Port 0: any free port.
Result<ListenAddress> parse_listen_address(std::string_view text);

struct ServerOptions {
  int workers = 4;
  std::size_t max_queued_connections = 64;         // accepted, waiting for a worker; beyond: 503
  std::chrono::milliseconds read_timeout{10000};   // a whole request, from its first byte
  std::chrono::milliseconds idle_timeout{5000};    // keep-alive: waiting for the next request
  std::chrono::milliseconds write_timeout{10000};  // a whole response
  int max_requests_per_connection = 100;
  // Once an accepted connection has waited this long for a worker, the next
  // answer on a busy connection says `Connection: close` and ends it, and the
  // worker takes the waiting one: a connection waits about this long plus one
  // request, not until a busy one reaches max_requests_per_connection. Each
  // such turn costs the ended connection's client a new connection.
  std::chrono::milliseconds yield_after{1000};
  HttpLimits limits;
  // Wraps each accepted socket (not owned); unset: plain TCP. A refusal
  // drops the connection. TLS: the handshake must end within read_timeout.
  std::function<Result<std::unique_ptr<tls::Stream>>(int fd)> make_stream;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra fields
};

// Called from worker threads, concurrently: must be thread-safe. It must not
// throw; an exception is answered 500 anyway.
using Handler = std::function<HttpResponse(const HttpRequest&)>;

// The status line's reason phrase ("OK", "Bad Request", ...).
std::string_view reason_phrase(int status);

// A complete HTTP/1.1 response message.
std::string serialize_response(const HttpResponse& response, bool keep_alive);

class HttpServer {
  struct Key {  // only listen() constructs (make_unique needs a public constructor)
    explicit Key() = default;
  };

 public:
  HttpServer(Key, int listener, int wake_read, int wake_write, std::uint16_t port, const ServerOptions& options);
  // Binds and listens. A non-loopback address needs allow_remote.
  static Result<std::unique_ptr<HttpServer>> listen(const ListenAddress& address, bool allow_remote,
                                                    const ServerOptions& options);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  std::uint16_t port() const { return port_; }  // the bound port (useful with port 0)

  // Accepts and serves until stop(); then waits for the workers to finish.
  Status run(const Handler& handler);
  // Thread-safe and async-signal-safe: asks run() to return.
  void stop();

 private:
  struct Pool;
  std::unique_ptr<tls::Stream> open_stream(int fd) const;  // nullptr: drop the connection
  void serve_connection(int fd, const Handler& handler, Pool& pool);

  std::optional<UniqueFd> listener_;  // closed when run() returns
  UniqueFd wake_read_, wake_write_;   // a self-pipe: stop() writes, every poll() watches
  std::uint16_t port_;
  ServerOptions options_;
  std::atomic<bool> stopping_ = false;
};

}  // namespace chartprov::server
