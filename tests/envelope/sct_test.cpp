#include "envelope/sigstore/sct.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "envelope/sigstore/der_value.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "support/keyless_vectors.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::sigstore;

namespace {

Bytes sct_extension(const std::string& bundle) {
  auto cert = crypto::Certificate::parse_der(test::bundle_leaf(bundle));
  EXPECT_TRUE(cert.ok());
  auto value = cert->extension(crypto::kSctListOid);
  EXPECT_TRUE(value.has_value()) << bundle;
  return value.value_or(Bytes{});
}

// The happy path's extension value with `edit` applied to the TLS list inside
// the OCTET STRING (the OCTET STRING's one-byte length is fixed up).
Bytes edited(const std::function<void(Bytes&)>& edit) {
  Bytes list = sct_extension("bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json");
  list.erase(list.begin(), list.begin() + 2);  // 04 7a
  edit(list);
  Bytes out{kDerOctetString, static_cast<std::uint8_t>(list.size())};
  out.insert(out.end(), list.begin(), list.end());
  return out;
}

std::string refusal(const Bytes& value) {
  auto scts = parse_sct_list(value);
  return scts.ok() ? "accepted" : scts.error().message;
}

}  // namespace

// Expected values: `openssl x509 -text` of each leaf ("CT Precertificate SCTs").
TEST(SctList, ReadsFulciosSct) {
  const auto scts = parse_sct_list(sct_extension("bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json"));
  ASSERT_TRUE(scts.ok()) << scts.error().message;
  ASSERT_EQ(scts->size(), 1u);
  const Sct& sct = scts->front();
  EXPECT_EQ(sct.version, 0);
  EXPECT_EQ(hex_encode(sct.log_id), "dd3d306ac6c7113263191e1c99673702a24a5eb8de3cadff878a72802f29ee8e");
  EXPECT_EQ(sct.timestamp_ms, 1689177395979u);  // Jul 12 15:56:35.979 2023 GMT
  EXPECT_TRUE(sct.extensions.empty());
  EXPECT_EQ(sct.hash_alg, 4);  // sha256
  EXPECT_EQ(sct.sig_alg, 3);   // ecdsa
  EXPECT_EQ(hex_encode(sct.signature),
            "30450220420388d940fe02c0c896a1e4bb58c5b8e90908e1eeceb0d1f7c9585fe70741be022100f258c5db22f4da8e5d566c"
            "114b42ba9f26d66ff6cc6dfd1531a5804d0ca2b0c5");
}

TEST(SctList, ReadsAnSctWithExtensions) {
  const auto scts =
      parse_sct_list(sct_extension("bundles/sigstore-conformance/bundle-with-sct-with-extensions/"
                                   "bundle.sigstore.json"));
  ASSERT_TRUE(scts.ok()) << scts.error().message;
  ASSERT_EQ(scts->size(), 1u);
  EXPECT_EQ(hex_encode(scts->front().log_id), "2ca5cd27a89484c38e74868d2d3bde1e7852afe7e2771e6f89c7bd667dfcf8ef");
  EXPECT_EQ(hex_encode(scts->front().extensions), "0000050000000070");
  EXPECT_EQ(scts->front().timestamp_ms, 1768517364925u);  // Jan 15 22:49:24.925 2026 GMT
}

TEST(SctList, EveryVectorLeafHasOneReadableSct) {
  for (const char* bundle :
       {"bundles/sigstore-python/bundle.txt.sigstore", "bundles/sigstore-python/bundle_v3_github.whl.sigstore",
        "bundles/sigstore-conformance/rekor2-happy-path/bundle.sigstore.json",
        "bundles/sigstore-conformance/intoto-with-custom-trust-root/bundle.sigstore.json"}) {
    const auto scts = parse_sct_list(sct_extension(bundle));
    ASSERT_TRUE(scts.ok()) << bundle << ": " << scts.error().message;
    EXPECT_EQ(scts->size(), 1u) << bundle;
  }
}

TEST(SctList, RefusesMalformedLists) {
  EXPECT_EQ(refusal({}), "SCT list: truncated DER value");
  EXPECT_EQ(refusal({0x0c, 0x00}), "SCT list: DER tag 0x0c where 0x04 was expected");
  EXPECT_EQ(refusal(Bytes(kMaxSctListExtension + 1, 0x04)), "SCT list extension larger than 64 KiB");
  EXPECT_EQ(refusal({0x04, 0x00}), "SCT list length does not match its contents");
  EXPECT_EQ(refusal({0x04, 0x02, 0x00, 0x00}), "empty SCT list");
  EXPECT_EQ(refusal(edited([](Bytes& l) { l.push_back(0); })), "SCT list length does not match its contents");
  EXPECT_EQ(refusal(edited([](Bytes& l) { l[1] -= 1; })), "SCT list length does not match its contents");
  // The SCT's own length one short: its last byte is left over in the list.
  EXPECT_EQ(refusal(edited([](Bytes& l) { l[3] -= 1; })), "truncated SCT");
  EXPECT_EQ(refusal(edited([](Bytes& l) { l[4] = 1; })), "SCT version 1 is not v1");
  // The signature's length one longer than what is there.
  EXPECT_EQ(refusal(edited([](Bytes& l) { l[l.size() - 0x48] += 1; })), "truncated SCT");
  // The SCT one byte longer than its fields.
  EXPECT_EQ(refusal(edited([](Bytes& l) {
              l.push_back(0);
              l[1] += 1;
              l[3] += 1;
            })),
            "trailing bytes in an SCT");
  // An SCT of length 0.
  EXPECT_EQ(refusal(edited([](Bytes& l) {
              l.insert(l.begin() + 2, {0, 0});
              l[1] += 2;
            })),
            "truncated SCT");
}

TEST(SctList, RefusesMoreThanTheBound) {
  // kMaxScts + 1 copies of the happy path's SCT (long-form DER lengths around them).
  Bytes one = edited([](Bytes&) {});
  one.erase(one.begin(), one.begin() + 4);  // 04 len, list length
  Bytes entries;
  for (std::size_t i = 0; i <= kMaxScts; ++i) entries.insert(entries.end(), one.begin(), one.end());
  Bytes list{static_cast<std::uint8_t>(entries.size() >> 8), static_cast<std::uint8_t>(entries.size())};
  list.insert(list.end(), entries.begin(), entries.end());
  Bytes value{kDerOctetString, 0x82, static_cast<std::uint8_t>(list.size() >> 8),
              static_cast<std::uint8_t>(list.size())};
  value.insert(value.end(), list.begin(), list.end());
  EXPECT_EQ(refusal(value), "more than 64 SCTs");
  // One fewer is read.
  value.resize(value.size() - one.size());
  const std::size_t n = list.size() - one.size();
  value[2] = static_cast<std::uint8_t>(n >> 8), value[3] = static_cast<std::uint8_t>(n);
  const std::size_t m = entries.size() - one.size();
  value[4] = static_cast<std::uint8_t>(m >> 8), value[5] = static_cast<std::uint8_t>(m);
  const auto scts = parse_sct_list(value);
  ASSERT_TRUE(scts.ok()) << scts.error().message;
  EXPECT_EQ(scts->size(), kMaxScts);
}

TEST(SctSignedData, IsRfc6962sPrecertEntry) {
  Sct sct;
  sct.timestamp_ms = 0x0102030405060708;
  sct.extensions = {0xee};
  const Bytes hash(32, 0xaa);
  const Bytes tbs{0x30, 0x00};
  EXPECT_EQ(hex_encode(sct_signed_data(sct, hash, tbs)),
            "00"                          // v1
            "00"                          // certificate_timestamp
            "0102030405060708"            // timestamp
            "0001"                        // precert_entry
                + std::string(64, 'a') +  // issuer_key_hash
                "000002"
                "3000"  // TBSCertificate
                "0001"
                "ee");  // extensions
}

TEST(DerValue, ReadsOnlyShortestForms) {
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x01, 'a'}, kDerUtf8String).value().size(), 1u);
  Bytes long_form{0x0c, 0x81, 0x80};
  long_form.resize(3 + 0x80, 'a');
  EXPECT_EQ(der_contents(long_form, kDerUtf8String).value().size(), 0x80u);
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x81, 0x01, 'a'}, kDerUtf8String).error().message,
            "DER length not in its shortest form");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x82, 0x00, 0x01, 'a'}, kDerUtf8String).error().message,
            "DER length not in its shortest form");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x80, 'a', 0, 0}, kDerUtf8String).error().message, "unsupported DER length");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x85, 1, 0, 0, 0, 0}, kDerUtf8String).error().message, "unsupported DER length");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x02, 'a'}, kDerUtf8String).error().message, "truncated DER value");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x81}, kDerUtf8String).error().message, "truncated DER value");
  EXPECT_EQ(der_contents(Bytes{0x0c, 0x01, 'a', 'b'}, kDerUtf8String).error().message,
            "trailing bytes after the DER value");
}
