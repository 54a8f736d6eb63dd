// The HTTP/1.1 request parser: known answers for what clients send, and the
// status for every malformed, oversized or unsupported request.
#include "server/http_request.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chartprov::server {
namespace {

// A literal with NUL bytes in it, whole.
template <std::size_t N>
std::string bytes(const char (&lit)[N]) {
  return std::string(lit, N - 1);
}

ParseResult parse(const std::string& s, const HttpLimits& limits = {}) { return parse_http_request(s, limits); }

int status_of(const std::string& s, const HttpLimits& limits = {}) {
  const auto r = parse(s, limits);
  EXPECT_EQ(r.status, ParseStatus::error) << s;
  return r.http_status;
}

TEST(HttpRequest, ParsesACurlPost) {
  const std::string body = R"({"chart":"web-0.1.0.tgz","environment":"production"})";
  const std::string msg =
      "POST /v1/verify?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/7.88.1\r\n"
      "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  const auto r = parse(msg + "GET /next");
  ASSERT_EQ(r.status, ParseStatus::complete) << r.error;
  EXPECT_EQ(r.consumed, msg.size()) << "the pipelined bytes after it are left";
  EXPECT_EQ(r.request.method, "POST");
  EXPECT_EQ(r.request.target, "/v1/verify?x=1");
  EXPECT_EQ(r.request.path(), "/v1/verify");
  EXPECT_EQ(r.request.minor_version, 1);
  EXPECT_EQ(r.request.body, body);
  ASSERT_NE(r.request.header("content-type"), nullptr);
  EXPECT_EQ(*r.request.header("content-type"), "application/json");
  EXPECT_EQ(*r.request.header("user-agent"), "curl/7.88.1");
  EXPECT_TRUE(r.request.keep_alive);
}

TEST(HttpRequest, HeaderNamesAreCaseInsensitiveAndValuesTrimmed) {
  const auto r = parse("GET /healthz HTTP/1.1\r\nHOST:x\r\nX-Thing: \t a b \t\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::complete) << r.error;
  EXPECT_EQ(*r.request.header("host"), "x");
  EXPECT_EQ(*r.request.header("x-thing"), "a b");
  EXPECT_EQ(r.request.body, "");
}

TEST(HttpRequest, KeepAliveFollowsVersionAndConnection) {
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  const auto ka10 = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_EQ(ka10.status, ParseStatus::complete);
  EXPECT_TRUE(ka10.request.keep_alive);
  EXPECT_EQ(ka10.request.minor_version, 0);
}

TEST(HttpRequest, IncompleteUntilTheLastByte) {
  const std::string msg = "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  for (std::size_t n = 0; n < msg.size(); ++n) {
    const auto r = parse(msg.substr(0, n));
    ASSERT_EQ(r.status, ParseStatus::incomplete) << n;
    EXPECT_EQ(r.headers_complete, n >= msg.size() - 5) << n;
  }
  EXPECT_EQ(parse(msg).status, ParseStatus::complete);
}

TEST(HttpRequest, ExpectContinueIsReportedBeforeTheBody) {
  const auto r = parse("POST /v1/verify HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::incomplete);
  EXPECT_TRUE(r.headers_complete);
  EXPECT_TRUE(r.request.expect_continue);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n"), 417);
}

TEST(HttpRequest, AFewLeadingEmptyLinesAreIgnored) {
  const auto r = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(r.status, ParseStatus::complete) << r.error;
  EXPECT_EQ(status_of(std::string(20, '\r') + "GET / HTTP/1.1\r\n"), 400);
  EXPECT_EQ(status_of("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
}

TEST(HttpRequest, MalformedRequestLines) {
  EXPECT_EQ(status_of("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET http://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n"), 400) << "absolute-form";
  EXPECT_EQ(status_of("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(status_of("GET / HTTP/1.10\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / http/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\nHost: x\n\n"), 400) << "bare LF";
  EXPECT_EQ(status_of("GET / HTTP/1.1\rHost: x\r\n\r\n"), 400) << "bare CR";
  EXPECT_EQ(status_of(bytes("GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n")), 400);
}

TEST(HttpRequest, MalformedHeaderFields) {
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400) << "space before the colon";
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n"), 400);
  EXPECT_EQ(status_of(bytes("GET / HTTP/1.1\r\nHost: x\r\nA: b\0c\r\n\r\n")), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n"), 400);
}

TEST(HttpRequest, HostIsRequiredOnceInHttp11) {
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n").status, ParseStatus::complete);
}

TEST(HttpRequest, FramingIsContentLengthOnly) {
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), 501);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\n\r\n"), 411);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1,1\r\n\r\nh"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n"), 400);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"), 400);
  const auto zero = parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(zero.status, ParseStatus::complete);
}

TEST(HttpRequest, LimitsAreEnforcedBeforeTheBytesArrive) {
  HttpLimits l;
  l.max_request_line = 64;
  l.max_header_line = 64;
  l.max_headers = 3;
  l.max_header_bytes = 160;
  l.max_body = 10;
  // Without the end of the line: refused as soon as it is longer than allowed.
  EXPECT_EQ(status_of("GET /" + std::string(100, 'a'), l), 414);
  EXPECT_EQ(status_of("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n", l), 414);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), l), 431);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", l), 431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 3; ++i) many += "X-" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n";
  EXPECT_EQ(status_of(many, l), 431);
  EXPECT_EQ(status_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", l), 413);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", l).status,
            ParseStatus::complete);
  // Within the limits but not finished yet: more bytes.
  EXPECT_EQ(parse("GET /" + std::string(50, 'a'), l).status, ParseStatus::incomplete);
}

}  // namespace
}  // namespace chartprov::server
