#include "util/url.hpp"

#include <gtest/gtest.h>

namespace chartprov {
namespace {

TEST(Url, HttpAndHttpsOnly) {
  EXPECT_EQ(parse_http_url("https://am.example:9093/api/v2/alerts")->host, "am.example");
  EXPECT_EQ(parse_http_url("http://127.0.0.1:9093/x")->scheme, "http");
  EXPECT_EQ(parse_http_url("HTTPS://x/").ok(), false);
  EXPECT_FALSE(parse_http_url("ftp://host/x").ok());
  EXPECT_FALSE(parse_http_url("file:///etc/passwd").ok());
  EXPECT_FALSE(parse_http_url("http:///nohost").ok());
  EXPECT_FALSE(parse_http_url("http://a b/").ok());
  EXPECT_FALSE(parse_http_url("http://[::1/").ok());
  EXPECT_EQ(parse_http_url("http://[::1]:80/")->host, "::1");
}

TEST(Url, CredentialsAreSeenAndHidden) {
  const auto u = parse_http_url("https://user:p%40ss@Hooks.Example/x");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->has_credentials);
  EXPECT_EQ(u->host, "hooks.example");
  EXPECT_EQ(redact_url("https://user:pw@hooks.example/x"), "https://***@hooks.example/x");
  EXPECT_EQ(redact_url("https://user:p/w@hooks.example/x"), "https://***@hooks.example/x");
  EXPECT_EQ(redact_url("https://hooks.example/x?token=abc"), "https://hooks.example/x?***");
  EXPECT_EQ(redact_url("https://hooks.example/x"), "https://hooks.example/x");
  const auto bad = parse_http_url("ftp://user:secret@host/");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.find("secret"), std::string::npos);
}

TEST(Url, Loopback) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.example.com"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}

}  // namespace
}  // namespace chartprov
