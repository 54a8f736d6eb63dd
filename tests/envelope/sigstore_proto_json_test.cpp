// The protojson bytes rule of Sigstore documents: base64 as Go's protojson
// decodes it, line ends included (a real conformance bundle wraps its RFC 3161
// timestamp at 76 columns).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envelope/sigstore/bundle.hpp"
#include "support/keyless_cases.hpp"
#include "util/encoding.hpp"

namespace chartprov {
namespace {

TEST(ProtoJsonBytes, LineEndsAreSkippedOtherBlanksAreNot) {
  const Bytes hello{'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(sigstore::decode_proto_bytes("aGVs\nbG8=").value(), hello);
  EXPECT_EQ(sigstore::decode_proto_bytes("aGVs\r\nbG8").value(), hello);
  EXPECT_EQ(sigstore::decode_proto_bytes("_-8=").value(), (Bytes{0xff, 0xef}));
  EXPECT_FALSE(sigstore::decode_proto_bytes("aGVs bG8=").ok());
  EXPECT_FALSE(sigstore::decode_proto_bytes("aGVs\tbG8=").ok());
  EXPECT_FALSE(sigstore::decode_proto_bytes("INVALID!!!BASE64!!!ENCODING====").ok());
}

TEST(ProtoJsonBytes, AWrappedTimestampOfARealBundleIsRead) {
  const auto c = test::keyless_case("conf/rekor2-timestamp-with-incorrect-time_fail");
  const std::string text = test::read_text(test::KeylessCase::path(c.bundle));
  const auto wrapped =
      nlohmann::json::parse(
          text)["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"]
          .get<std::string>();
  ASSERT_NE(wrapped.find('\n'), std::string::npos);
  auto b = sigstore::parse_bundle(text);
  ASSERT_TRUE(b.ok()) << b.error().message;
  ASSERT_EQ(b->rfc3161_timestamps.size(), 1u);
  std::string unwrapped;
  for (const char ch : wrapped) {
    if (ch != '\n') unwrapped += ch;
  }
  EXPECT_EQ(b->rfc3161_timestamps[0], base64_decode(unwrapped).value());
}

}  // namespace
}  // namespace chartprov
