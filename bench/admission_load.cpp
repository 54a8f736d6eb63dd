// admission_load: a bounded load generator for `chartprov admission` on
// loopback, shaped as kube-apiserver calls a validating webhook: HTTPS (the
// server's certificate verified against a CA file and the loopback IP),
// HTTP/1.1 keep-alive, POST /validate?timeout=10s with an AdmissionReview.
//
// N client threads each hold one TLS connection and send one review after the
// other, round-robin over the review files, for a duration or a total number
// of requests: as fast as the answers come (closed loop), or with --rate at a
// fixed total rate (open loop: each client's requests are due at fixed times,
// and a request's latency counts from when it was due, so a server that falls
// behind is not hidden by the clients waiting for it). Every request gets a
// fresh uid (the file's request.uid rewritten in place, same length) and
// every answer must be HTTP 200, an AdmissionReview whose response.uid is
// that uid, and, where a review is given as FILE:true or FILE:false,
// response.allowed as said; anything else (a transport error, another
// status, a wrong uid or verdict) is an error, and any error fails the run.
// A connection the server closed while idle is opened again and the request
// sent again, once (as Go's HTTP client does); a reconnect the server asked
// for, with its handshake, is inside that request's time. The first
// handshakes and a warm-up are done before the clock starts. Latency is one
// request: its first byte sent (or its due time) to the last byte of its
// answer read.
//
//   admission_load --port P --ca CA.pem --review FILE[:true|:false]... [--host 127.0.0.1]
//                  [--clients 32] (--duration SECONDS | --requests TOTAL) [--rate REQ_PER_S]
//                  [--warmup PER_CLIENT] [--path '/validate?timeout=10s'] [--tls 1.2|1.3]
//                  [--timeout SECONDS] [--label TEXT] [--json FILE]
// Prints throughput and latency percentiles (p50, p90, p99, p99.9, max);
// --json writes them too. Exit 0 when every answer was right, 1 on any
// error, 2 on usage.
//
// A bench tool, not product code: it links OpenSSL and nlohmann/json directly
// and no chartprov library (src/LAYERS: bench is a consumer of cp_app only).
// Longer than the usual 400 lines because it is one self-contained program
// (TLS client, HTTP/1.1, the answer's checks, the report), like serve_load.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct Review {
  std::string file;
  std::string body;
  std::string uid;                         // the file's request.uid
  std::size_t uid_at = std::string::npos;  // its one place in body; npos: sent unchanged
  std::optional<bool> allowed;             // the verdict the answer must carry, when given
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string ca;
  std::string path = "/validate?timeout=10s";
  int clients = 32;
  double duration = 0;  // seconds; 0: --requests
  double rate = 0;      // requests per second over all clients; 0: closed loop
  long requests = 0;    // total over all clients
  long warmup = 0;      // per client, before the clock starts
  std::string tls;      // "", "1.2", "1.3"
  int timeout = 30;     // seconds, per socket operation
  std::string label;
  std::string json_out;
  std::vector<Review> reviews;
};

// One client's results.
struct Tally {
  std::vector<double> latency_ms;
  std::vector<double> handshake_ms;
  long errors = 0;
  long allowed = 0, denied = 0;
  long reconnects = 0;  // connections opened after the first
  std::vector<std::string> first_errors;
  void error(std::string what) {
    ++errors;
    if (first_errors.size() < 3) first_errors.push_back(std::move(what));
  }
};

std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return std::strerror(errno);
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

class TlsClient {
 public:
  TlsClient(SSL_CTX* ctx, const Options& o) : ctx_(ctx), o_(o) {}
  ~TlsClient() { close(); }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool connected() const { return ssl_ != nullptr; }
  // Whether any byte of the answer being read had arrived before a failure.
  bool received_any() const { return received_any_; }

  // TCP connect and the TLS handshake, with the server's certificate checked.
  bool open(std::string& why) {
    close();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return fail(why, "socket: " + ssl_error_text());
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(o_.port));
    if (::inet_pton(AF_INET, o_.host.c_str(), &sa.sin_addr) != 1) return fail(why, "--host is not an IPv4 address");
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const timeval tv{o_.timeout, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return fail(why, std::strerror(errno));
    ssl_ = SSL_new(ctx_);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return fail(why, "SSL_new");
    // The API server checks the certificate against the Service's name; here, the loopback IP.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, o_.host.c_str()) != 1) return fail(why, "the host to verify");
    if (SSL_connect(ssl_) != 1) {
      const long verify = SSL_get_verify_result(ssl_);
      std::string reason = ssl_error_text();
      if (verify != X509_V_OK) reason += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
      return fail(why, "TLS handshake: " + reason);
    }
    buf_.clear();
    return true;
  }

  void close() {
    if (ssl_ != nullptr) {
      SSL_free(ssl_);
      ssl_ = nullptr;
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send(const std::string& data, std::string& why) {
    received_any_ = !buf_.empty();  // a new exchange: nothing of its answer yet
    std::size_t done = 0;
    while (done < data.size()) {
      std::size_t n = 0;
      const int r = SSL_write_ex(ssl_, data.data() + done, data.size() - done, &n);
      if (r != 1) return fail(why, "write: " + io_error(r));
      done += n;
    }
    return true;
  }

  // One HTTP/1.1 response with a Content-Length body.
  bool receive(int& status, std::string& body, bool& close_after, std::string& why) {
    std::size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(why)) return false;
    }
    std::string head = buf_.substr(0, head_end);
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return fail(why, "not an HTTP response");
    status = static_cast<int>(std::strtol(head.c_str() + 9, nullptr, 10));
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto cl = head.find("\r\ncontent-length:");
    if (cl == std::string::npos) return fail(why, "a response without Content-Length");
    const std::size_t length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
    close_after = head.find("\r\nconnection: close") != std::string::npos;
    while (buf_.size() < head_end + 4 + length) {
      if (!fill(why)) return false;
    }
    body.assign(buf_, head_end + 4, length);
    buf_.erase(0, head_end + 4 + length);
    return true;
  }

 private:
  bool fill(std::string& why) {
    char chunk[16384];
    std::size_t n = 0;
    const int r = SSL_read_ex(ssl_, chunk, sizeof chunk, &n);
    if (r != 1) return fail(why, "read: " + io_error(r));
    buf_.append(chunk, n);
    received_any_ = true;
    return true;
  }
  bool fail(std::string& why, const std::string& what) {
    if (why.empty()) why = what;
    close();
    return false;
  }
  // A failed SSL_read_ex/SSL_write_ex, in words.
  std::string io_error(int r) const {
    switch (SSL_get_error(ssl_, r)) {
      case SSL_ERROR_ZERO_RETURN: return "the server closed the connection";
      case SSL_ERROR_SYSCALL: return errno == EAGAIN ? "timed out" : "closed or reset: " + ssl_error_text();
      default: return ssl_error_text();
    }
  }

  SSL_CTX* ctx_;
  const Options& o_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buf_;
  bool received_any_ = false;
};

// A fresh uid of the same 36 characters for each request: client, sequence.
void write_uid(std::string& body, std::size_t at, int client, long seq) {
  char uid[40];
  std::snprintf(uid, sizeof uid, "%08x-%04x-4%03x-8%03x-%012lx", 0xadadadadu, static_cast<unsigned>(client) & 0xffffu,
                static_cast<unsigned>(seq >> 24) & 0xfffu, static_cast<unsigned>(seq >> 12) & 0xfffu,
                static_cast<unsigned long>(seq) & 0xfffffffffffful);
  body.replace(at, 36, uid, 36);
}

// The answer is HTTP 200, an AdmissionReview about `uid`, with the expected verdict; "" when so.
std::string check_answer(int status, const std::string& body, const std::string& uid, const Review& review,
                         bool& allowed) {
  if (status != 200) return "HTTP " + std::to_string(status) + ": " + body.substr(0, 200);
  const Json answer = Json::parse(body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return "not JSON: " + body.substr(0, 200);
  if (answer.value("kind", "") != "AdmissionReview" || answer.value("apiVersion", "") != "admission.k8s.io/v1")
    return "not an admission.k8s.io/v1 AdmissionReview";
  const auto r = answer.find("response");
  if (r == answer.end() || !r->is_object()) return "no response";
  if (r->value("uid", "") != uid) return "uid " + r->value("uid", "(none)") + ", sent " + uid;
  const auto a = r->find("allowed");
  if (a == r->end() || !a->is_boolean()) return "no response.allowed";
  allowed = a->get<bool>();
  if (review.allowed && *review.allowed != allowed)
    return review.file + ": allowed=" + (allowed ? "true" : "false") + ", expected the opposite";
  return "";
}

double percentile(const std::vector<double>& sorted, double p) {  // nearest rank
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

bool read_review(const std::string& arg, Review& r, std::string& why) {
  r.file = arg;
  const auto colon = arg.rfind(':');
  if (colon != std::string::npos && (arg.substr(colon + 1) == "true" || arg.substr(colon + 1) == "false")) {
    r.file = arg.substr(0, colon);
    r.allowed = arg.substr(colon + 1) == "true";
  }
  std::ifstream in(r.file, std::ios::binary);
  if (!in) {
    why = r.file + ": cannot be read";
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  r.body = s.str();
  const Json review = Json::parse(r.body, nullptr, false);
  if (review.is_discarded() || !review.contains("request") || !review["request"].contains("uid") ||
      !review["request"]["uid"].is_string()) {
    why = r.file + ": not an AdmissionReview with request.uid";
    return false;
  }
  r.uid = review["request"]["uid"].get<std::string>();
  const std::string quoted = "\"" + r.uid + "\"";
  const auto first = r.body.find(quoted);
  // Rewritten per request only where it occurs once (no other field shares it) and has a UUID's length.
  if (r.uid.size() == 36 && first != std::string::npos && r.body.find(quoted, first + 1) == std::string::npos) {
    r.uid_at = first + 1;
  }
  return true;
}

// A decimal number, the whole of `v`; -1 (refused by every range check) otherwise.
double number(const std::string& v) {
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  return !v.empty() && end != nullptr && *end == '\0' && std::isfinite(d) && d >= 0 && d <= 1e9 ? d : -1;
}

bool parse_args(int argc, char** argv, Options& o, std::string& why) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      why = a + " needs a value";
      return false;
    }
    const std::string v = argv[++i];
    if (a == "--host") {
      o.host = v;
    } else if (a == "--port") {
      o.port = static_cast<int>(number(v));
    } else if (a == "--ca") {
      o.ca = v;
    } else if (a == "--path") {
      o.path = v;
    } else if (a == "--clients") {
      o.clients = static_cast<int>(number(v));
    } else if (a == "--duration") {
      o.duration = number(v);
    } else if (a == "--requests") {
      o.requests = static_cast<long>(number(v));
    } else if (a == "--rate") {
      o.rate = number(v);
    } else if (a == "--warmup") {
      o.warmup = static_cast<long>(number(v));
    } else if (a == "--tls") {
      o.tls = v;
    } else if (a == "--timeout") {
      o.timeout = static_cast<int>(number(v));
    } else if (a == "--label") {
      o.label = v;
    } else if (a == "--json") {
      o.json_out = v;
    } else if (a == "--review") {
      Review r;
      if (!read_review(v, r, why)) return false;
      o.reviews.push_back(std::move(r));
    } else {
      why = "unknown option " + a;
      return false;
    }
  }
  if (o.port <= 0 || o.port > 65535) why = "--port 1..65535";
  if (o.ca.empty()) why = "--ca FILE: the CA the server's certificate must chain to";
  if (o.reviews.empty()) why = "at least one --review FILE";
  if (o.clients < 1 || o.clients > 1024) why = "--clients 1..1024";
  if ((o.duration > 0) == (o.requests > 0)) why = "one of --duration SECONDS or --requests TOTAL";
  if (o.requests > 0 && (o.requests < o.clients || o.requests > 100'000'000)) why = "--requests clients..1e8";
  if (o.duration > 3600 || o.warmup < 0 || o.warmup > 100000) why = "--duration up to 3600, --warmup 0..100000";
  if (!o.tls.empty() && o.tls != "1.2" && o.tls != "1.3") why = "--tls 1.2 or 1.3";
  if (o.rate < 0 || o.rate > 1e6) why = "--rate 0..1e6 requests per second";
  if (o.timeout < 1 || o.timeout > 300) why = "--timeout 1..300";
  return why.empty();
}

SSL_CTX* client_context(const Options& o, std::string& why) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) {
    why = "SSL_CTX_new: " + ssl_error_text();
    return nullptr;
  }
  const int version = o.tls == "1.2" ? TLS1_2_VERSION : o.tls == "1.3" ? TLS1_3_VERSION : 0;
  SSL_CTX_set_min_proto_version(ctx, version != 0 ? version : TLS1_2_VERSION);
  if (version != 0) SSL_CTX_set_max_proto_version(ctx, version);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx, o.ca.c_str(), nullptr) != 1) {
    why = o.ca + ": " + ssl_error_text();
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One client: connect, warm up, wait for the others, then the measured loop.
void run_client(int c, const Options& o, SSL_CTX* ctx, std::latch& ready, const Clock::time_point& start,
                const std::atomic<bool>& started, Tally& t) {
  TlsClient conn(ctx, o);
  std::string header_prefix = "POST " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                              "\r\nUser-Agent: chartprov-admission-load\r\nAccept: application/json, */*\r\n"
                              "Content-Type: application/json\r\nContent-Length: ";
  std::vector<std::string> bodies;
  for (const auto& r : o.reviews) bodies.push_back(r.body);
  const long share = o.requests > 0 ? o.requests / o.clients + (c < o.requests % o.clients ? 1 : 0) : 0;
  long seq = 0;
  std::string request, body, why;
  bool handshake_failed = false;
  // One exchange; true when it went through (its answer checked into `t`).
  // `scheduled`: when the request was due (with --rate), its latency counts from then.
  const auto exchange = [&](bool measured, std::optional<Clock::time_point> scheduled) {
    const std::size_t which = static_cast<std::size_t>(seq + c) % o.reviews.size();
    const Review& review = o.reviews[which];
    std::string& b = bodies[which];
    std::string uid = review.uid;
    if (review.uid_at != std::string::npos) {
      write_uid(b, review.uid_at, c, seq);
      uid = b.substr(review.uid_at, 36);
    }
    ++seq;
    request = header_prefix + std::to_string(b.size()) + "\r\n\r\n" + b;
    why.clear();
    int status = 0;
    bool close_after = false;
    const auto t0 = scheduled.value_or(Clock::now());
    // A connection the server closed while it was idle (its idle timeout) fails
    // on reuse before any answer: opened again and the request sent again, once,
    // as Go's HTTP client does.
    for (int attempt = 0;; ++attempt) {
      const bool reused = conn.connected();
      if (!reused) {
        const auto h0 = Clock::now();
        if (!conn.open(why)) {
          t.error("connect: " + why);
          return false;
        }
        ++t.reconnects;
        t.handshake_ms.push_back(ms_since(h0));
      }
      if (conn.send(request, why) && conn.receive(status, body, close_after, why)) break;
      if (!reused || attempt > 0 || conn.received_any()) {
        t.error(why);
        return false;
      }
      why.clear();
    }
    const double ms = ms_since(t0);
    if (close_after) conn.close();
    bool allowed = false;
    const std::string wrong = check_answer(status, body, uid, review, allowed);
    if (!wrong.empty()) {
      t.error(wrong);
      return false;
    }
    if (measured) {
      t.latency_ms.push_back(ms);
      ++(allowed ? t.allowed : t.denied);
    }
    return true;
  };

  const auto t0 = Clock::now();
  if (!conn.open(why)) {
    t.error("connect: " + why);
    handshake_failed = true;
  } else {
    t.handshake_ms.push_back(ms_since(t0));
  }
  for (long i = 0; !handshake_failed && i < o.warmup; ++i) {
    if (!exchange(false, std::nullopt)) break;
  }
  ready.count_down();
  started.wait(false, std::memory_order_acquire);
  if (handshake_failed) return;
  t.latency_ms.reserve(o.requests > 0 ? static_cast<std::size_t>(share) : 1u << 16);
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
  // With --rate, this client's requests are due every clients/rate seconds, the clients' phases spread evenly.
  const std::chrono::duration<double> interval(o.rate > 0 ? o.clients / o.rate : 0.0);
  const auto due = [&](long i) {
    return start + std::chrono::duration_cast<Clock::duration>(
                       interval * (static_cast<double>(i) + static_cast<double>(c) / o.clients));
  };
  for (long i = 0; o.requests > 0 ? i < share : (o.rate > 0 ? due(i) : Clock::now()) < end; ++i) {
    if (o.rate <= 0) {
      exchange(true, std::nullopt);
      continue;
    }
    const auto when = due(i);
    if (when > Clock::now()) std::this_thread::sleep_until(when);
    exchange(true, when);
  }
}

Json summary_json(const Options& o, const std::vector<double>& all, const std::vector<double>& handshakes,
                  const Tally& sum, double seconds, double cpu) {
  const auto stats = [](const std::vector<double>& s) {
    double mean = 0;
    for (const double v : s) mean += v;
    if (!s.empty()) mean /= static_cast<double>(s.size());
    return Json{{"count", s.size()},
                {"mean", mean},
                {"p50", percentile(s, 50)},
                {"p90", percentile(s, 90)},
                {"p99", percentile(s, 99)},
                {"p99.9", percentile(s, 99.9)},
                {"max", s.empty() ? 0.0 : s.back()}};
  };
  Json reviews = Json::array();
  for (const auto& r : o.reviews) {
    reviews.push_back({{"file", r.file},
                       {"expect_allowed", r.allowed ? Json(*r.allowed) : Json(nullptr)},
                       {"uid_rewritten", r.uid_at != std::string::npos}});
  }
  return Json{{"label", o.label},
              {"clients", o.clients},
              {"rate", o.rate > 0 ? Json(o.rate) : Json("closed loop")},
              {"requests", all.size()},
              {"errors", sum.errors},
              {"allowed", sum.allowed},
              {"denied", sum.denied},
              {"reconnects", sum.reconnects},
              {"seconds", seconds},
              {"throughput_rps", seconds > 0 ? static_cast<double>(all.size()) / seconds : 0.0},
              {"client_cpu_seconds", cpu},
              {"latency_ms", stats(all)},
              {"handshake_ms", stats(handshakes)},
              {"tls", o.tls.empty() ? "any (1.2+)" : o.tls},
              {"reviews", reviews}};
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string why;
  if (!parse_args(argc, argv, o, why)) {
    std::fprintf(stderr,
                 "admission_load: %s\nusage: admission_load --port P --ca CA.pem --review FILE[:true|:false]... "
                 "[--host 127.0.0.1] [--clients 32] (--duration S | --requests N) [--rate R] [--warmup PER_CLIENT] "
                 "[--path P] [--tls 1.2|1.3] [--timeout S] [--label TEXT] [--json FILE]\n",
                 why.c_str());
    return 2;
  }
  // A write to a connection the server closed is an error to count, not a signal that ends the run.
  std::signal(SIGPIPE, SIG_IGN);
  SSL_CTX* ctx = client_context(o, why);
  if (ctx == nullptr) {
    std::fprintf(stderr, "admission_load: %s\n", why.c_str());
    return 2;
  }

  std::vector<Tally> tallies(static_cast<std::size_t>(o.clients));
  std::latch ready(o.clients);
  std::atomic<bool> started = false;
  Clock::time_point start;
  std::vector<std::thread> threads;
  threads.reserve(tallies.size());
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back(run_client, c, std::cref(o), ctx, std::ref(ready), std::cref(start), std::cref(started),
                         std::ref(tallies[static_cast<std::size_t>(c)]));
  }
  ready.wait();  // every client connected and warm
  const double cpu0 = cpu_seconds();
  start = Clock::now();
  started.store(true, std::memory_order_release);
  started.notify_all();
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu0;
  SSL_CTX_free(ctx);

  Tally sum;
  std::vector<double> all, handshakes;
  for (const auto& t : tallies) {
    all.insert(all.end(), t.latency_ms.begin(), t.latency_ms.end());
    handshakes.insert(handshakes.end(), t.handshake_ms.begin(), t.handshake_ms.end());
    sum.errors += t.errors;
    sum.allowed += t.allowed;
    sum.denied += t.denied;
    sum.reconnects += t.reconnects;
    for (const auto& e : t.first_errors) {
      if (sum.first_errors.size() < 5) sum.first_errors.push_back(e);
    }
  }
  std::sort(all.begin(), all.end());
  std::sort(handshakes.begin(), handshakes.end());
  const Json s = summary_json(o, all, handshakes, sum, seconds, cpu);
  const Json& l = s["latency_ms"];
  if (o.rate > 0)
    std::printf("%s%sopen loop at %.0f req/s: latency from each request's due time\n", o.label.c_str(),
                o.label.empty() ? "" : ": ", o.rate);
  std::printf("%s%sclients %d  requests %zu (allowed %ld, denied %ld)  errors %ld  reconnects %ld\n", o.label.c_str(),
              o.label.empty() ? "" : ": ", o.clients, all.size(), sum.allowed, sum.denied, sum.errors, sum.reconnects);
  std::printf("  elapsed %.2f s  throughput %.0f req/s  client CPU %.2f s\n", seconds,
              s["throughput_rps"].get<double>(), cpu);
  std::printf("  latency ms  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (mean %.3f)\n", l["p50"].get<double>(),
              l["p90"].get<double>(), l["p99"].get<double>(), l["p99.9"].get<double>(), l["max"].get<double>(),
              l["mean"].get<double>());
  std::printf("  TLS handshakes %zu: p50 %.3f ms, max %.3f ms\n", handshakes.size(),
              s["handshake_ms"]["p50"].get<double>(), s["handshake_ms"]["max"].get<double>());
  for (const auto& e : sum.first_errors) std::fprintf(stderr, "admission_load: error: %s\n", e.c_str());
  if (!o.json_out.empty()) {
    std::ofstream out(o.json_out);
    out << s.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "admission_load: cannot write %s\n", o.json_out.c_str());
      return 1;
    }
  }
  return sum.errors == 0 && !all.empty() ? 0 : 1;
}
