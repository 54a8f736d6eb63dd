// The HTTP server over TLS (infra/tls, ServerOptions::make_stream) with a
// real OpenSSL client on loopback: keep-alive and pipelined requests that
// arrive in one TLS record (the decrypted bytes wait in the stream, not in
// the socket), a client that never finishes its handshake is dropped while
// others are served, bytes that are not TLS get no answer, and the
// certificate refusals of tls::load_tls_context.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <thread>

#include "infra/tls/tls_context.hpp"
#include "infra/tls/tls_stream.hpp"
#include "server/http_server.hpp"
#include "support/test_support.hpp"

namespace chartprov::server {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kDay = 86400;

// A self-signed P-256 certificate for 127.0.0.1, valid from `from` to `to`
// (seconds from now), written as NAME.crt and NAME.key (mode 0600) in `dir`.
void make_certificate(const fs::path& dir, const std::string& name, std::int64_t from, std::int64_t to) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  ASSERT_EQ(X509_set_version(cert, 2), 1);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), static_cast<long>(from));
  X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(to));
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, subject);
  X509_set_pubkey(cert, key);
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* c = std::fopen((dir / (name + ".crt")).c_str(), "w");
  PEM_write_X509(c, cert);
  std::fclose(c);
  const fs::path key_file = dir / (name + ".key");
  FILE* k = std::fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(k);
  ::chmod(key_file.c_str(), 0600);
  X509_free(cert);
  EVP_PKEY_free(key);
}

tls::ServerFiles files_of(const fs::path& dir, const std::string& name) {
  return {dir / (name + ".crt"), dir / (name + ".key"), std::nullopt};
}

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// A TLS client on loopback that trusts `ca` (the server's self-signed certificate).
class TlsClient {
 public:
  TlsClient(std::uint16_t port, const fs::path& ca) : ctx_(SSL_CTX_new(TLS_client_method())) {
    SSL_CTX_load_verify_locations(ctx_, ca.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    connected_ = SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;
  bool connected() const { return connected_; }
  // One SSL_write: every request in it travels in the same TLS record.
  bool send(const std::string& s) {
    std::size_t n = 0;
    return SSL_write_ex(ssl_, s.data(), s.size(), &n) == 1 && n == s.size();
  }
  // Reads until `count` responses ("HTTP/1.1 " lines with a body of "ok") arrived, or 5 s.
  std::string read_responses(int count) {
    std::string out;
    char buf[4096];
    while (count_of(out, "\r\n\r\nok") < count) {
      std::size_t n = 0;
      if (SSL_read_ex(ssl_, buf, sizeof buf, &n) != 1) return out + "<closed or timeout>";
      out.append(buf, n);
    }
    return out;
  }
  static int count_of(const std::string& s, const std::string& what) {
    int n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  }

 private:
  SSL_CTX* ctx_;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
};

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override { make_certificate(dir_.path(), "server", -kDay, kDay); }

  void start(std::chrono::milliseconds read_timeout = std::chrono::milliseconds(5000)) {
    auto context = tls::load_tls_context(files_of(dir_.path(), "server"), now());
    ASSERT_TRUE(context.ok()) << context.error().message;
    ServerOptions options;
    options.workers = 4;
    options.read_timeout = read_timeout;
    options.make_stream = [c = *context](int fd) { return tls::make_tls_stream(fd, c); };
    auto address = parse_listen_address("127.0.0.1:0");
    ASSERT_TRUE(address.ok());
    auto server = HttpServer::listen(*address, false, options);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = std::move(*server);
    thread_ = std::thread([this] {
      [[maybe_unused]] const auto st = server_->run([](const HttpRequest&) {
        HttpResponse r;
        r.content_type = "text/plain";
        r.body = "ok";
        return r;
      });
    });
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  fs::path ca() const { return dir_.path() / "server.crt"; }

  test::TempDir dir_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

const std::string kGet = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";

TEST_F(TlsServerTest, AnswersKeepAliveRequestsOverTls) {
  start();
  TlsClient client(server_->port(), ca());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send(kGet));
    const std::string got = client.read_responses(1);
    EXPECT_TRUE(got.starts_with("HTTP/1.1 200 OK\r\n")) << got;
    EXPECT_NE(got.find("Connection: keep-alive"), std::string::npos) << got;
  }
}

TEST_F(TlsServerTest, AnswersPipelinedRequestsThatArriveInOneRecord) {
  start();
  TlsClient client(server_->port(), ca());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(kGet + kGet + kGet));
  const std::string got = client.read_responses(3);
  EXPECT_EQ(TlsClient::count_of(got, "HTTP/1.1 200 OK"), 3) << got;
}

TEST_F(TlsServerTest, DropsAStalledHandshakeAndServesOthers) {
  start(std::chrono::milliseconds(300));
  const int stalled = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(server_->port());
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(stalled, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  TlsClient other(server_->port(), ca());
  ASSERT_TRUE(other.connected());
  ASSERT_TRUE(other.send(kGet));
  EXPECT_TRUE(other.read_responses(1).starts_with("HTTP/1.1 200 OK"));
  pollfd p{stalled, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);  // closed by the server after its read timeout
  char c = 0;
  EXPECT_EQ(::recv(stalled, &c, 1, 0), 0);
  ::close(stalled);
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  start();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(server_->port());
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(::send(fd, kGet.data(), kGet.size(), MSG_NOSIGNAL), static_cast<ssize_t>(kGet.size()));
  std::string got;
  char buf[512];
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 5000) == 1) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(got.find("HTTP/1.1"), std::string::npos) << got;
  TlsClient client(server_->port(), ca());  // and it still serves
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(kGet));
  EXPECT_TRUE(client.read_responses(1).starts_with("HTTP/1.1 200 OK"));
}

TEST(TlsContext, RefusesExpiredNotYetValidMismatchedAndExposedFiles) {
  test::TempDir dir;
  make_certificate(dir.path(), "old", -2 * kDay, -kDay);
  make_certificate(dir.path(), "future", kDay, 2 * kDay);
  make_certificate(dir.path(), "good", -kDay, kDay);
  make_certificate(dir.path(), "other", -kDay, kDay);

  auto expired = tls::load_tls_context(files_of(dir.path(), "old"), now());
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("the certificate expired at"), std::string::npos) << expired.error().message;
  auto future = tls::load_tls_context(files_of(dir.path(), "future"), now());
  ASSERT_FALSE(future.ok());
  EXPECT_NE(future.error().message.find("not valid until"), std::string::npos) << future.error().message;

  tls::ServerFiles mismatch = files_of(dir.path(), "good");
  mismatch.key = dir.path() / "other.key";
  auto mixed = tls::load_tls_context(mismatch, now());
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.error().message.find("does not belong to the certificate"), std::string::npos)
      << mixed.error().message;

  ::chmod((dir.path() / "good.key").c_str(), 0644);
  auto exposed = tls::load_tls_context(files_of(dir.path(), "good"), now());
  ASSERT_FALSE(exposed.ok());
  EXPECT_NE(exposed.error().message.find("accessible by others"), std::string::npos) << exposed.error().message;
  ::chmod((dir.path() / "good.key").c_str(), 0440);  // a Secret mounted for fsGroup: group may read
  auto grouped = tls::load_tls_context(files_of(dir.path(), "good"), now());
  ASSERT_TRUE(grouped.ok()) << grouped.error().message;
  EXPECT_EQ(grouped.value()->facts().subject, "CN=good");

  tls::ServerFiles no_cert = files_of(dir.path(), "good");
  no_cert.cert = dir.path() / "good.key";
  ::chmod(no_cert.cert.c_str(), 0400);
  auto not_a_cert = tls::load_tls_context(no_cert, now());
  ASSERT_FALSE(not_a_cert.ok());
  EXPECT_NE(not_a_cert.error().message.find("holds no PEM certificate"), std::string::npos)
      << not_a_cert.error().message;
}

}  // namespace
}  // namespace chartprov::server
