#include "server/http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "util/clock.hpp"

namespace chartprov::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text() { return std::strerror(errno); }

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Waits until `stream` can go on the way `state` asks (kWantRead, kWantWrite)
// before the deadline; false on a timeout, an error, or any other state.
bool wait_for(const tls::Stream& stream, tls::IoState state, Clock::time_point deadline) {
  if (state != tls::IoState::kWantRead && state != tls::IoState::kWantWrite) return false;
  while (true) {
    pollfd p{stream.fd(), static_cast<short>(state == tls::IoState::kWantWrite ? POLLOUT : POLLIN), 0};
    const int ms = remaining_ms(deadline);
    if (ms == 0) return false;
    const int n = ::poll(&p, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

// Writes all of `data` before the deadline; false on a timeout or an error.
bool send_all(tls::Stream& stream, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    const tls::Io io = stream.write(data);
    if (io.state == tls::IoState::kDone) {
      data.remove_prefix(io.bytes);
      continue;
    }
    if (!wait_for(stream, io.state, deadline)) return false;
  }
  return true;
}

// The TLS handshake (nothing for plain TCP), before the deadline.
bool handshake(tls::Stream& stream, Clock::time_point deadline) {
  while (true) {
    const tls::Io io = stream.handshake();
    if (io.state == tls::IoState::kDone) return true;
    if (!wait_for(stream, io.state, deadline)) return false;
  }
}

// After an error answer, the client may still be sending (an oversized body):
// closing with unread bytes would reset the connection and could destroy the
// answer before the client reads it. End our side, then read and drop a
// bounded amount of raw bytes first.
void lingering_close(tls::Stream& stream) {
  stream.finish();
  const int fd = stream.fd();
  const auto deadline = Clock::now() + std::chrono::milliseconds(500);
  std::size_t dropped = 0;
  char sink[16384];
  while (dropped < (1u << 20)) {
    pollfd p{fd, POLLIN, 0};
    const int ms = remaining_ms(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) <= 0) return;
    const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
    if (n <= 0 && !(n < 0 && errno == EINTR)) return;
    if (n > 0) dropped += static_cast<std::size_t>(n);
  }
}

std::string http_date() {
  const auto t = static_cast<std::time_t>(unix_now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

HttpResponse error_response(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = nlohmann::json{{"error", message}}.dump() + "\n";
  return r;
}

bool parse_port(std::string_view s, std::uint16_t& port) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace

Result<ListenAddress> parse_listen_address(std::string_view text) {
  const auto bad = [&] {
    return usage_error("--listen " + std::string(text) +
                       ": expected a numeric IPv4:PORT or [IPv6]:PORT (e.g. 127.0.0.1:8080); no host names");
  };
  ListenAddress a;
  std::uint16_t port = 0;
  if (text.starts_with("[")) {
    const auto close = text.find("]:");
    if (close == std::string_view::npos || !parse_port(text.substr(close + 2), port)) return bad();
    const std::string host(text.substr(1, close - 1));
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(port);
    if (::inet_pton(AF_INET6, host.c_str(), &sa.sin6_addr) != 1) return bad();
    a.loopback =
        IN6_IS_ADDR_LOOPBACK(&sa.sin6_addr) || (IN6_IS_ADDR_V4MAPPED(&sa.sin6_addr) && sa.sin6_addr.s6_addr[12] == 127);
    std::memcpy(&a.addr, &sa, sizeof sa);
    a.len = sizeof sa;
    char out[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &sa.sin6_addr, out, sizeof out);
    a.text = "[" + std::string(out) + "]:" + std::to_string(port);
    return a;
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || !parse_port(text.substr(colon + 1), port)) return bad();
  const std::string host(text.substr(0, colon));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) return bad();
  a.loopback = (ntohl(sa.sin_addr.s_addr) >> 24) == 127;
  std::memcpy(&a.addr, &sa, sizeof sa);
  a.len = sizeof sa;
  a.text = host + ":" + std::to_string(port);
  return a;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string serialize_response(const HttpResponse& response, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason_phrase(response.status)) +
                    "\r\nDate: " + http_date() + "\r\nContent-Type: " + response.content_type +
                    "\r\nContent-Length: " + std::to_string(response.body.size()) +
                    "\r\nConnection: " + (keep_alive ? "keep-alive" : "close") + "\r\n";
  for (const auto& [k, v] : response.headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

struct HttpServer::Pool {
  std::mutex mutex;
  std::condition_variable ready;
  struct Waiting {
    int fd;
    Clock::time_point since;
  };
  std::deque<Waiting> queue;  // accepted connections, owned here until a worker takes one

  // Whether an accepted connection has waited for a worker for `patience` or longer.
  bool has_waited(std::chrono::milliseconds patience) {
    const std::lock_guard lock(mutex);
    return !queue.empty() && Clock::now() - queue.front().since >= patience;
  }
};

HttpServer::HttpServer(Key, int listener, int wake_read, int wake_write, std::uint16_t port,
                       const ServerOptions& options)
    : wake_read_(wake_read), wake_write_(wake_write), port_(port), options_(options) {
  listener_.emplace(listener);
}

HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::listen(const ListenAddress& address, bool allow_remote,
                                                       const ServerOptions& options) {
  if (!address.loopback && !allow_remote) {
    return usage_error("refusing to listen on " + address.text +
                       ", which is not a loopback address: the API has no authentication (use --allow-remote behind "
                       "a TLS proxy that authenticates clients; docs/OPERATIONS.md)");
  }
  if (options.workers < 1 || options.workers > 256) return usage_error("--workers must be 1..256");
  UniqueFd fd(::socket(address.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return input_error("socket: " + errno_text());
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (address.addr.ss_family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address.addr), address.len) != 0) {
    return input_error("cannot listen on " + address.text + ": " + errno_text());
  }
  if (::listen(fd.get(), 128) != 0) return input_error("listen on " + address.text + ": " + errno_text());
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len) != 0)
    return input_error("getsockname: " + errno_text());
  const std::uint16_t port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                               : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) return input_error("pipe: " + errno_text());
  // TLS writes through write(2), not send(MSG_NOSIGNAL): a client that went
  // away must be an EPIPE for its worker, not a SIGPIPE for the process.
  ::signal(SIGPIPE, SIG_IGN);
  return std::make_unique<HttpServer>(Key{}, fd.release(), pipe_fds[0], pipe_fds[1], port, options);
}

void HttpServer::stop() {
  stopping_.store(true);
  // The pipe is never read: it stays readable, so every poll() sees the stop.
  [[maybe_unused]] const auto n = ::write(wake_write_.get(), "x", 1);
}

Status HttpServer::run(const Handler& handler) {
  if (!listener_) return internal_error("the server has already run");
  Pool pool;
  std::vector<std::thread> workers;
  for (int i = 0; i < options_.workers; ++i) {
    workers.emplace_back([this, &pool, &handler] {
      while (true) {
        int fd = -1;
        {
          std::unique_lock lock(pool.mutex);
          pool.ready.wait(lock, [&] { return stopping_.load() || !pool.queue.empty(); });
          if (stopping_.load()) return;
          fd = pool.queue.front().fd;
          pool.queue.pop_front();
        }
        const UniqueFd conn(fd);
        serve_connection(conn.get(), handler, pool);
      }
    });
  }
  Status result = ok_status();
  while (!stopping_.load()) {
    pollfd p[2] = {{listener_->get(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      result = input_error("poll: " + errno_text());
      break;
    }
    if (p[1].revents != 0) break;
    const int fd = ::accept4(listener_->get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // out of descriptors: let workers finish some
      }
      continue;  // EAGAIN, ECONNABORTED, EINTR, ...
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    {
      std::lock_guard lock(pool.mutex);
      if (pool.queue.size() < options_.max_queued_connections) {
        pool.queue.push_back({fd, Clock::now()});
        pool.ready.notify_one();
        continue;
      }
    }
    // Every worker busy and the queue full: say so at once rather than wait.
    const UniqueFd conn(fd);
    const auto busy_deadline = Clock::now() + std::chrono::milliseconds(100);
    const auto stream = open_stream(fd);
    if (stream && handshake(*stream, busy_deadline)) {
      send_all(*stream, serialize_response(error_response(503, "server busy; retry later"), false), busy_deadline);
    }
  }
  stop();
  listener_.reset();  // new clients are refused at once, not left in the backlog
  {
    std::lock_guard lock(pool.mutex);
    pool.ready.notify_all();
  }
  for (auto& w : workers) w.join();
  for (const auto& waiting : pool.queue) ::close(waiting.fd);  // accepted but never served
  return result;
}

std::unique_ptr<tls::Stream> HttpServer::open_stream(int fd) const {
  if (!options_.make_stream) return tls::make_plain_stream(fd);
  auto stream = options_.make_stream(fd);
  return stream ? std::move(*stream) : nullptr;
}

void HttpServer::serve_connection(int fd, const Handler& handler, Pool& pool) {
  const auto stream = open_stream(fd);
  if (!stream || !handshake(*stream, Clock::now() + options_.read_timeout)) return;
  std::string buf;
  char chunk[16384];
  for (int served = 0; served < options_.max_requests_per_connection;) {
    const auto idle_deadline = Clock::now() + options_.idle_timeout;
    auto request_deadline = Clock::now() + options_.read_timeout;
    bool started = !buf.empty();
    bool sent_continue = false;
    short wanted = POLLIN;  // which way the stream must become ready before the next read
    ParseResult parsed;
    while (true) {
      parsed = parse_http_request(buf, options_.limits);
      if (parsed.status != ParseStatus::incomplete) break;
      if (parsed.headers_complete && parsed.request.expect_continue && !sent_continue) {
        if (!send_all(*stream, "HTTP/1.1 100 Continue\r\n\r\n", Clock::now() + options_.write_timeout)) return;
        sent_continue = true;
      }
      // Idle between requests, a stop ends the connection; a request that
      // has started is read to its end (within its deadline) and answered.
      if (!started && stopping_.load()) return;
      if (!stream->has_buffered()) {  // bytes already decrypted need no wait
        pollfd p[2] = {{fd, wanted, 0}, {wake_read_.get(), POLLIN, 0}};
        const int ms = remaining_ms(started ? request_deadline : idle_deadline);
        const int n = ms == 0 ? 0 : ::poll(p, started ? 1 : 2, ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return;
        if (n == 0) {
          if (started) {
            send_all(*stream, serialize_response(error_response(408, "request not received in time"), false),
                     Clock::now() + options_.write_timeout);
            lingering_close(*stream);
          }
          return;
        }
        if (!started && p[1].revents != 0 && p[0].revents == 0) return;
      }
      const tls::Io got = stream->read(std::span<char>(chunk, sizeof chunk));
      if (got.state == tls::IoState::kWantRead || got.state == tls::IoState::kWantWrite) {
        wanted = got.state == tls::IoState::kWantWrite ? POLLOUT : POLLIN;
        continue;
      }
      if (got.state != tls::IoState::kDone) return;  // closed by the client, reset, or a TLS error
      wanted = POLLIN;
      if (!started) {
        started = true;
        request_deadline = Clock::now() + options_.read_timeout;
      }
      buf.append(chunk, got.bytes);
    }
    if (parsed.status == ParseStatus::error) {
      send_all(*stream, serialize_response(error_response(parsed.http_status, parsed.error), false),
               Clock::now() + options_.write_timeout);
      lingering_close(*stream);
      return;
    }
    ++served;
    HttpResponse response;
    try {
      response = handler(parsed.request);
    } catch (...) {
      response = error_response(500, "internal error");
    }
    // A worker serves one connection at a time: once another connection has
    // waited for a worker for yield_after, this one ends with this answer
    // (announced, so no request of the client's is lost); else the waiting one
    // would wait until this one has made max_requests_per_connection requests
    // or fallen idle.
    const bool keep = parsed.request.keep_alive && served < options_.max_requests_per_connection && !stopping_.load() &&
                      !pool.has_waited(options_.yield_after);
    if (!send_all(*stream, serialize_response(response, keep), Clock::now() + options_.write_timeout)) return;
    if (!keep) {
      stream->finish();
      return;
    }
    buf.erase(0, parsed.consumed);
  }
}

}  // namespace chartprov::server
