// serve_load: a bounded load generator for `chartprov serve` on loopback.
// N threads each hold one keep-alive connection and send their share of a
// fixed number of requests one after another (closed loop: the next request
// leaves when the answer to the last has arrived); a connection the server
// closes (its keep-alive limit) is opened again. Reports throughput and the
// latency percentiles of every request, from its first byte sent to the last
// byte of its answer read.
//
//   serve_load --port P [--host 127.0.0.1] [--connections 4] [--requests 2000]
//              [--method POST] [--path /v1/verify] [--body JSON] [--expect 200]
// Exit 0 when every answer had the expected status, 1 otherwise, 2 on usage.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 4;
  long requests = 2000;
  std::string method = "POST";
  std::string path = "/v1/verify";
  std::string body;
  int expect = 200;
};

class Connection {
 public:
  explicit Connection(const Options& o) : o_(o) {}
  ~Connection() { close_fd(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One request and its answer; false on a transport error.
  bool exchange(const std::string& request, int& status) {
    if (fd_ < 0 && !open()) return false;
    if (!send_all(request)) {
      // The server may have closed an idle connection: one fresh try.
      close_fd();
      if (!open() || !send_all(request)) return false;
    }
    bool close_after = false;
    if (!read_response(status, close_after)) {
      close_fd();
      return false;
    }
    if (close_after) close_fd();
    return true;
  }
  long reconnects = 0;

 private:
  bool open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(o_.port));
    if (::inet_pton(AF_INET, o_.host.c_str(), &sa.sin_addr) != 1 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      close_fd();
      return false;
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ++reconnects;
    buf_.clear();
    return true;
  }
  void close_fd() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::send(fd_, s.data() + done, s.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool fill() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  bool read_response(int& status, bool& close_after) {
    std::size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return false;
    }
    const std::string head = buf_.substr(0, head_end);
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return false;
    status = std::atoi(head.c_str() + 9);
    std::string lower = head;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto cl = lower.find("\r\ncontent-length:");
    if (cl == std::string::npos) return false;
    const std::size_t length = std::strtoul(lower.c_str() + cl + 17, nullptr, 10);
    close_after = lower.find("\r\nconnection: close") != std::string::npos;
    while (buf_.size() < head_end + 4 + length) {
      if (!fill()) return false;
    }
    buf_.erase(0, head_end + 4 + length);
    return true;
  }

  const Options& o_;
  int fd_ = -1;
  std::string buf_;
};

bool parse_args(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (a == "--host")
      o.host = v;
    else if (a == "--port")
      o.port = std::atoi(v.c_str());
    else if (a == "--connections")
      o.connections = std::atoi(v.c_str());
    else if (a == "--requests")
      o.requests = std::atol(v.c_str());
    else if (a == "--method")
      o.method = v;
    else if (a == "--path")
      o.path = v;
    else if (a == "--body")
      o.body = v;
    else if (a == "--expect")
      o.expect = std::atoi(v.c_str());
    else
      return false;
  }
  return o.port > 0 && o.port < 65536 && o.connections >= 1 && o.connections <= 1024 && o.requests >= o.connections &&
         o.requests <= 10'000'000;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse_args(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: serve_load --port P [--host 127.0.0.1] [--connections N] [--requests TOTAL] [--method M] "
                 "[--path P] [--body JSON] [--expect STATUS]\n");
    return 2;
  }
  std::string request = o.method + " " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                        "\r\nUser-Agent: chartprov-serve-load\r\n";
  if (!o.body.empty() || o.method == "POST") {
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(o.body.size()) + "\r\n";
  }
  request += "\r\n" + o.body;

  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(o.connections));
  std::atomic<long> unexpected = 0, failed = 0, reconnects = 0;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int c = 0; c < o.connections; ++c) {
    const long share = o.requests / o.connections + (c < o.requests % o.connections ? 1 : 0);
    threads.emplace_back([&, c, share] {
      Connection conn(o);
      auto& mine = latencies[static_cast<std::size_t>(c)];
      mine.reserve(static_cast<std::size_t>(share));
      for (long i = 0; i < share; ++i) {
        int status = 0;
        const auto t0 = Clock::now();
        if (!conn.exchange(request, status)) {
          ++failed;
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (status != o.expect) ++unexpected;
      }
      reconnects += conn.reconnects;
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf("requests %zu  connections %d  (opened %ld)  failed %ld  unexpected-status %ld\n", all.size(),
              o.connections, reconnects.load(), failed.load(), unexpected.load());
  std::printf("elapsed %.3f s  throughput %.1f req/s\n", seconds, static_cast<double>(all.size()) / seconds);
  std::printf("latency ms  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", percentile(all, 50), percentile(all, 90),
              percentile(all, 99), all.empty() ? 0.0 : all.back());
  return failed.load() == 0 && unexpected.load() == 0 ? 0 : 1;
}
