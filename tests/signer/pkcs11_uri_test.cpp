#include "signer/pkcs11_uri.hpp"

#include <gtest/gtest.h>

namespace chartprov::signer {
namespace {

TEST(Pkcs11Uri, ParsesWhatSoftHsmAndCosignUse) {
  auto uri = parse_pkcs11_uri(
      "pkcs11:token=chartprov-test;object=ec-signing;id=%01;type=private;x-vendor=1"
      "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=123456");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  EXPECT_EQ(uri->token, "chartprov-test");
  EXPECT_EQ(uri->object, "ec-signing");
  EXPECT_EQ(uri->id, Bytes{0x01});
  EXPECT_EQ(uri->module_path, "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_EQ(uri->pin_value.str(), "123456");
}

TEST(Pkcs11Uri, DecodesPercentEscapes) {
  auto uri = parse_pkcs11_uri("pkcs11:token=My%20Token;object=a%3Bb;id=%DE%ad%BE%ef;slot-id=3");
  ASSERT_TRUE(uri.ok()) << uri.error().message;
  EXPECT_EQ(uri->token, "My Token");
  EXPECT_EQ(uri->object, "a;b");
  EXPECT_EQ(uri->id, (Bytes{0xde, 0xad, 0xbe, 0xef}));
  EXPECT_EQ(uri->slot_id, 3ul);
}

TEST(Pkcs11Uri, RefusesMalformedUris) {
  for (const char* bad :
       {"pkcs11", "file:token=a;object=b", "pkcs11:token=a", "pkcs11:object=a;object=b", "pkcs11:object=a;color=red",
        "pkcs11:object=a%2", "pkcs11:object=a%zz", "pkcs11:object=a;type=cert", "pkcs11:object=a;slot-id=x",
        "pkcs11:object=a?pin=1", "pkcs11:object"}) {
    EXPECT_FALSE(parse_pkcs11_uri(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_pkcs11_uri("pkcs11:object=" + std::string(5000, 'a')).ok());
}

TEST(Pkcs11Uri, RedactsThePin) {
  EXPECT_EQ(redact_pkcs11_uri("pkcs11:object=k?pin-value=1234&module-path=/m.so"),
            "pkcs11:object=k?pin-value=REDACTED&module-path=/m.so");
  EXPECT_EQ(redact_pkcs11_uri("pkcs11:object=k?module-path=/m.so&pin-value=1234"),
            "pkcs11:object=k?module-path=/m.so&pin-value=REDACTED");
}

}  // namespace
}  // namespace chartprov::signer
