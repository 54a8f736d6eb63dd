// The verifier's trust state (issue 14 finding 5): the highest trust root
// version accepted per trust directory, with its digest; a lower version is a
// rollback, the same version with another digest a conflict.
#include "trust/trust_state.hpp"

#include <gtest/gtest.h>

namespace chartprov::trust {
namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

TEST(TrustState, ComparesWithThePin) {
  const PinnedRoot pin{"/etc/chartprov/trust", 3, kDigestA};
  EXPECT_EQ(check_pin(nullptr, 1, kDigestA), PinCheck::unpinned);
  EXPECT_EQ(check_pin(&pin, 3, kDigestA), PinCheck::same);
  EXPECT_EQ(check_pin(&pin, 4, kDigestB), PinCheck::newer);
  EXPECT_EQ(check_pin(&pin, 2, kDigestA), PinCheck::rollback);
  EXPECT_EQ(check_pin(&pin, 3, kDigestB), PinCheck::conflict);
}

TEST(TrustState, RoundTripsAndReplacesAPin) {
  TrustState s = with_pin({}, {"/a/trust", 1, kDigestA});
  s = with_pin(s, {"/b/trust", 2, kDigestB});
  s = with_pin(s, {"/a/trust", 5, kDigestB});
  const auto parsed = parse_trust_state(serialize_trust_state(s));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->roots.size(), 2u);
  EXPECT_EQ(parsed->find("/a/trust")->version, 5);
  EXPECT_EQ(parsed->find("/a/trust")->digest, kDigestB);
  EXPECT_EQ(parsed->find("/b/trust")->version, 2);
  EXPECT_EQ(parsed->find("/c/trust"), nullptr);
}

TEST(TrustState, TheDigestCoversTheSignedContentOnly) {
  TrustRoot a;
  a.canonical_signed = R"({"version":1})";
  TrustRoot b;
  b.canonical_signed = a.canonical_signed;
  b.version = 7;  // parsed fields do not count: the signed bytes do
  EXPECT_EQ(root_digest(a), root_digest(b));
  b.canonical_signed = R"({"version":2})";
  EXPECT_NE(root_digest(a), root_digest(b));
  EXPECT_EQ(root_digest(a).rfind("sha256:", 0), 0u);
  EXPECT_EQ(root_digest(a).size(), 7u + 64u);
}

TEST(TrustState, RefusesWhatIsNotAState) {
  const std::string entry = R"({"trust_dir":"/t","version":1,"digest":")" + kDigestA + R"("})";
  const auto doc = [](const std::string& roots) {
    return R"({"_type":"chartprov-trust-state","roots":[)" + roots + "]}";
  };
  EXPECT_TRUE(parse_trust_state(doc(entry)).ok());
  for (const std::string& bad : {
           std::string("not json"),
           std::string(R"({"_type":"other","roots":[]})"),
           std::string(R"({"_type":"chartprov-trust-state","roots":[],"extra":1})"),
           doc(entry + "," + entry),                                                       // listed twice
           doc(R"({"trust_dir":"relative","version":1,"digest":")" + kDigestA + R"("})"),  // relative
           doc(R"({"trust_dir":"/t","version":0,"digest":")" + kDigestA + R"("})"),        // version 0
           doc(R"({"trust_dir":"/t","version":1,"digest":"sha256:ABC"})"),                 // not a digest
           doc(R"({"trust_dir":"/t","version":1,"digest":")" + kDigestA + R"(","x":1})"),  // unknown field
           std::string(kMaxTrustState + 1, ' '),
       }) {
    EXPECT_FALSE(parse_trust_state(bad).ok()) << bad.substr(0, 120);
  }
}

}  // namespace
}  // namespace chartprov::trust
