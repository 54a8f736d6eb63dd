#include "infra/openssl/timestamp.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "infra/openssl/digest.hpp"
#include "support/keyless_vectors.hpp"

using namespace chartprov;

namespace {

constexpr const char* kBundle = "bundles/sigstore-conformance/rekor2-happy-path/bundle.sigstore.json";
constexpr const char* kRoot = "roots/sigstore-conformance/rekor2-happy-path/trusted_root.json";

// The bundle's timestamp over its signature, checked against the trusted root's TSA.
Result<std::int64_t> verify_vector_timestamp(bool tamper) {
  const auto bundle = test::keyless_json(kBundle);
  const Bytes token = test::keyless_base64(
      bundle["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"]);
  Bytes signature = test::keyless_base64(bundle["messageSignature"]["signature"]);
  if (tamper) signature.back() ^= 1;
  const auto chains = test::root_tsa_chains(kRoot);
  return crypto::verify_rfc3161_timestamp(token, signature, chains.at(0));
}

}  // namespace

TEST(Rfc3161Timestamp, VerifiesAVectorsTimestamp) {
  const auto when = verify_vector_timestamp(false);
  ASSERT_TRUE(when.ok()) << when.error().message;
  // `openssl ts -reply -in TOKEN -text`: Time stamp: Jun 12 12:02:20 2025 GMT
  EXPECT_EQ(*when, 1749729740);
  EXPECT_EQ(verify_vector_timestamp(true).error().message,
            "the RFC 3161 timestamp does not verify against the timestamp authority");
}

// The chartprov binary starts OpenSSL without its digest-name table
// (init_openssl); run in a fresh process so that the start-up is the binary's.
TEST(Rfc3161TimestampDeathTest, VerifiesAfterTheBinarysOpenSslStart) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        crypto::init_openssl();
        std::exit(verify_vector_timestamp(false).ok() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}
