// The HTTP server over real loopback sockets: keep-alive with a bounded
// number of requests, pipelining, a connection that waits for a worker is
// served after the next answer, errors close the connection, a request
// that stops arriving is answered 408, remote addresses need permission, and
// stop() ends run() with idle connections open.
#include "server/http_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <regex>
#include <thread>

namespace chartprov::server {
namespace {

class Client {
 public:
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  }
  bool connected() const { return connected_; }
  void send(const std::string& s) {
    ASSERT_EQ(::send(fd_.get(), s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }
  // Everything until the server closes (or 5 s of silence: a failure the caller sees).
  std::string read_to_close() {
    std::string out;
    char buf[4096];
    while (true) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return out + "<no close>";
      const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Reads until `marker` arrived (one byte at a time: nothing after it is taken).
  std::string read_until(const std::string& marker) {
    std::string out;
    char ch = 0;
    while (!out.ends_with(marker)) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0 || ::recv(fd_.get(), &ch, 1, 0) != 1) return out + "<timeout or closed>";
      out += ch;
    }
    return out;
  }
  // Reads until `count` complete responses (each with a Content-Length) arrived.
  std::string read_responses(int count) {
    std::string out;
    char buf[4096];
    while (count_responses(out) < count) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return out + "<timeout>";
      const ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n <= 0) return out + "<closed>";
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  static int count_responses(const std::string& s) {
    int n = 0;
    std::size_t pos = 0;
    while (true) {
      const auto head_end = s.find("\r\n\r\n", pos);
      if (head_end == std::string::npos) return n;
      const auto cl = s.find("Content-Length: ", pos);
      if (cl == std::string::npos || cl > head_end) return n;
      const auto len = std::stoul(s.substr(cl + 16));
      if (s.size() < head_end + 4 + len) return n;
      pos = head_end + 4 + len;
      ++n;
    }
  }
  UniqueFd fd_;
  bool connected_ = false;
};

int count_of(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    const auto addr = parse_listen_address("127.0.0.1:0");
    ASSERT_TRUE(addr.ok());
    auto s = HttpServer::listen(*addr, false, options);
    ASSERT_TRUE(s.ok()) << s.error().message;
    server_ = std::move(*s);
    thread_ = std::thread([this] {
      const auto st = server_->run([this](const HttpRequest& r) {
        ++handled_;
        HttpResponse resp;
        resp.content_type = "text/plain";
        resp.body = r.method + " " + r.target + " " + r.body;
        return resp;
      });
      run_ok_ = st.ok();
    });
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<int> handled_ = 0;
  std::atomic<bool> run_ok_ = false;
};

TEST_F(ServerTest, KeepAliveAndPipelining) {
  start();
  Client c(server_->port());
  ASSERT_TRUE(c.connected());
  c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz");
  const auto two = c.read_responses(2);
  EXPECT_EQ(count_of(two, "HTTP/1.1 200 OK\r\n"), 2) << two;
  EXPECT_NE(two.find("GET /a "), std::string::npos) << two;
  EXPECT_NE(two.find("POST /b xyz"), std::string::npos) << two;
  EXPECT_EQ(count_of(two, "Connection: keep-alive"), 2) << two;
  c.send("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto last = c.read_to_close();
  EXPECT_NE(last.find("Connection: close"), std::string::npos) << last;
  EXPECT_NE(last.find("GET /c "), std::string::npos) << last;
}

TEST_F(ServerTest, ABoundedNumberOfRequestsPerConnection) {
  ServerOptions o;
  o.max_requests_per_connection = 3;
  start(o);
  Client c(server_->port());
  std::string five;
  for (int i = 0; i < 5; ++i) five += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  c.send(five);
  const auto out = c.read_to_close();
  EXPECT_EQ(count_of(out, "HTTP/1.1 200 OK"), 3) << out;
  EXPECT_EQ(count_of(out, "Connection: close"), 1) << "the third answer says the connection ends";
}

// One worker, held by a keep-alive connection that goes on asking (as the API
// server's connections to the webhook do): a second connection, once it has
// waited yield_after for a worker, is served after the first one's next answer,
// which ends it, not after its idle timeout or its last allowed request.
TEST_F(ServerTest, AConnectionWaitingForAWorkerIsServedAfterTheNextAnswer) {
  ServerOptions o;
  o.workers = 1;
  o.idle_timeout = std::chrono::seconds(30);
  o.yield_after = std::chrono::milliseconds(100);
  start(o);
  Client busy(server_->port());
  busy.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = busy.read_responses(1);
  EXPECT_NE(first.find("Connection: keep-alive"), std::string::npos) << "nobody waits yet: " << first;
  Client waiting(server_->port());
  ASSERT_TRUE(waiting.connected());
  waiting.send("GET /waiting HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // accepted, queued, waited yield_after
  busy.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto second = busy.read_to_close();
  EXPECT_NE(second.find("GET /2 "), std::string::npos) << second;
  EXPECT_NE(second.find("Connection: close"), std::string::npos) << second;
  const auto served = waiting.read_to_close();  // fails on 5 s of silence
  EXPECT_NE(served.find("GET /waiting "), std::string::npos) << served;
}

TEST_F(ServerTest, AMalformedRequestIsAnsweredAndTheServerKeepsServing) {
  start();
  {
    Client c(server_->port());
    c.send("GARBAGE\r\n\r\n");
    const auto out = c.read_to_close();
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400 Bad Request\r\n")) << out;
    EXPECT_NE(out.find("Connection: close"), std::string::npos);
    EXPECT_NE(out.find("{\"error\":"), std::string::npos) << out;
  }
  {
    Client c(server_->port());
    c.send("POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" + std::string(100000, 'a'));
    const auto out = c.read_to_close();
    EXPECT_TRUE(out.starts_with("HTTP/1.1 413 ")) << out.substr(0, 200);
  }
  Client c(server_->port());
  c.send("GET /still HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(c.read_to_close().find("200 OK"), std::string::npos);
}

TEST_F(ServerTest, ARequestThatStopsArrivingIsAnswered408) {
  ServerOptions o;
  o.read_timeout = std::chrono::milliseconds(200);
  start(o);
  Client c(server_->port());
  c.send("GET /slow HTTP/1.1\r\nHost: x\r\n");  // never finished
  const auto out = c.read_to_close();
  EXPECT_TRUE(out.starts_with("HTTP/1.1 408 ")) << out;
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimAnswer) {
  start();
  Client c(server_->port());
  c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  // The body is sent only after the interim answer (as curl does).
  EXPECT_EQ(c.read_until("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  c.send("ok");
  const auto out = c.read_responses(1);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 200 OK")) << out;
  EXPECT_NE(out.find("POST /e ok"), std::string::npos) << out;
}

TEST_F(ServerTest, StopEndsRunWithIdleConnectionsOpen) {
  start();
  Client idle(server_->port());
  idle.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(idle.read_responses(1).find("200 OK"), std::string::npos);
  server_->stop();
  thread_.join();
  EXPECT_TRUE(run_ok_.load());
  EXPECT_EQ(idle.read_to_close(), "") << "the idle keep-alive connection is closed";
  Client late(server_->port());
  EXPECT_FALSE(late.connected()) << "no longer listening";
}

TEST(ListenAddress, NumericOnlyAndLoopbackKnown) {
  const auto v4 = parse_listen_address("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_TRUE(v4->loopback);
  EXPECT_EQ(v4->text, "127.0.0.1:8080");
  EXPECT_TRUE(parse_listen_address("127.3.2.1:1")->loopback);
  const auto v6 = parse_listen_address("[::1]:9000");
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->loopback);
  EXPECT_FALSE(parse_listen_address("0.0.0.0:8080")->loopback);
  EXPECT_FALSE(parse_listen_address("[::]:8080")->loopback);
  EXPECT_FALSE(parse_listen_address("10.1.2.3:8080")->loopback);
  for (const char* bad : {"localhost:8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", ":8080",
                          "[::1]8080", "::1:8080", "127.0.0.1:80a", "example.com:80"}) {
    EXPECT_FALSE(parse_listen_address(bad).ok()) << bad;
  }
}

TEST(ListenAddress, ANonLoopbackAddressNeedsPermission) {
  const auto any = parse_listen_address("0.0.0.0:0");
  ASSERT_TRUE(any.ok());
  const auto refused = HttpServer::listen(*any, false, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("not a loopback address"), std::string::npos);
}

}  // namespace
}  // namespace chartprov::server
