#include "keys/key_history.hpp"

#include <gtest/gtest.h>

namespace chartprov::keys {
namespace {

const std::string kId1(64, 'a');
const std::string kId2(64, 'b');

std::string doc(const std::string& key_fields) {
  return R"({"version": 1, "keys": [{"id": ")" + kId1 +
         R"(", "algorithm": "ecdsa-p256", "created": "2026-01-01T00:00:00Z", "status": "active")" + key_fields + "}]}";
}

TEST(Rfc3339, KnownAnswers) {
  EXPECT_EQ(*parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parse_rfc3339("2026-11-25T07:00:00Z"), 1795590000);
  EXPECT_EQ(*parse_rfc3339("2026-11-25T08:00:00+01:00"), 1795590000);
  EXPECT_EQ(*parse_rfc3339("2026-11-25T07:00:00.123456Z"), 1795590000);
  EXPECT_EQ(*parse_rfc3339("2000-02-29T00:00:00Z"), 951782400);
  EXPECT_EQ(format_rfc3339(1795590000), "2026-11-25T07:00:00Z");
  EXPECT_EQ(format_rfc3339(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59Z");
  for (const char* bad :
       {"", "2026-11-25", "2026-11-25T07:00:00", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-25T24:00:00Z",
        "2026-11-25T07:00:00Zjunk", "2026-11-25 07:00:00Z", "2026-11-25T07:00:00+0100"}) {
    EXPECT_FALSE(parse_rfc3339(bad).ok()) << bad;
  }
}

TEST(KeyHistory, RoundTripsEveryField) {
  KeyHistory h;
  KeyRecord a;
  a.id = kId1;
  a.algorithm = "ecdsa-p256";
  a.created = 1767225600;
  a.not_before = 1767225600;
  a.not_after = 1795590000;
  a.status = KeyStatus::kRetired;
  a.allowed_charts = {"web-*", "api"};
  a.location = "keys/ci-2026.key";
  a.openpgp_fingerprint = std::string(40, 'C');
  a.successor = kId2;
  KeyRecord b;
  b.id = kId2;
  b.algorithm = "rsa-3072";
  b.created = b.not_before = 1795590000;
  b.status = KeyStatus::kRevoked;
  b.revoked_at = 1795600000;
  b.reason = "laptop lost";
  b.compromised = true;
  h.keys = {a, b};
  const std::string text = serialize_key_history(h);
  auto back = parse_key_history(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(serialize_key_history(*back), text);
  ASSERT_EQ(back->keys.size(), 2u);
  EXPECT_EQ(back->keys[0].not_after, 1795590000);
  EXPECT_EQ(back->keys[1].reason, "laptop lost");
  EXPECT_TRUE(back->keys[1].compromised);
  EXPECT_EQ(back->find_by_openpgp(std::string(40, 'C')), &back->keys[0]);
}

TEST(KeyHistory, RefusesMalformedDocuments) {
  EXPECT_TRUE(parse_key_history(doc("")).ok());
  const char* bad_fields[] = {
      R"(, "allowed_chart": ["x"])",                // typo: would silently drop a restriction
      R"(, "compromised": true)",                   // compromised but not revoked
      R"(, "revoked_at": "2026-02-01T00:00:00Z")",  // revoked_at on an active key
      R"(, "not_after": "2025-01-01T00:00:00Z")",   // window ends before it starts
      R"(, "allowed_charts": ["[unclosed"])",
      R"(, "allowed_charts": "web-*")",
      R"(, "openpgp_fingerprint": "abc")",
      R"(, "created": 5)",
  };
  for (const char* f : bad_fields) EXPECT_FALSE(parse_key_history(doc(f)).ok()) << f;
  EXPECT_FALSE(parse_key_history("").ok());
  EXPECT_FALSE(parse_key_history("[]").ok());
  EXPECT_FALSE(parse_key_history(R"({"version": 2, "keys": []})").ok());
  EXPECT_FALSE(parse_key_history(R"({"version": 1, "keys": [], "extra": 1})").ok());
  EXPECT_FALSE(parse_key_history(doc("").substr(0, doc("").size() - 2)).ok());  // truncated
}

TEST(KeyHistory, DuplicateIdsAreRefused) {
  const std::string entry =
      R"({"id": ")" + kId1 + R"(", "algorithm": "x", "created": "2026-01-01T00:00:00Z", "status": "active"})";
  EXPECT_FALSE(parse_key_history(R"({"version": 1, "keys": [)" + entry + "," + entry + "]}").ok());
}

TEST(KeyWindow, RetiredKeysCountOnlyInsideTheirWindow) {
  KeyRecord k;
  k.id = kId1;
  k.not_before = 1000;
  k.not_after = 2000;
  k.status = KeyStatus::kRetired;
  EXPECT_TRUE(check_key_at(k, 1500, 5000).ok);
  EXPECT_FALSE(check_key_at(k, 2001, 5000).ok);
  EXPECT_FALSE(check_key_at(k, 999, 5000).ok);
}

TEST(KeyWindow, RevokedKeysStopCountingAtRevocationOrEntirelyWhenCompromised) {
  KeyRecord k;
  k.id = kId1;
  k.not_before = 1000;
  k.status = KeyStatus::kRevoked;
  k.revoked_at = 3000;
  EXPECT_TRUE(check_key_at(k, 2000, 5000).ok);
  EXPECT_FALSE(check_key_at(k, 3000, 5000).ok);
  k.compromised = true;
  auto v = check_key_at(k, 2000, 5000);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("compromised"), std::string::npos);
}

TEST(KeyWindow, FutureSignaturesAreRefused) {
  KeyRecord k;
  k.id = kId1;
  EXPECT_FALSE(check_key_at(k, 10000, 1000).ok);
  EXPECT_TRUE(check_key_at(k, 1100, 1000).ok);  // five minutes of clock skew
}

TEST(KeyScope, AllowedChartsAreGlobs) {
  KeyRecord k;
  k.id = kId1;
  EXPECT_TRUE(check_chart_allowed(k, "anything").ok);
  k.allowed_charts = {"web-*", "api"};
  EXPECT_TRUE(check_chart_allowed(k, "web-frontend").ok);
  EXPECT_TRUE(check_chart_allowed(k, "api").ok);
  auto v = check_chart_allowed(k, "payments");
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("web-*, api"), std::string::npos);
}

}  // namespace
}  // namespace chartprov::keys
