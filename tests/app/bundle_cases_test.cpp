// Every bundle- row of tests/data/cosign/cases.tsv gives its expected result
// (cosign's verdict where sigstore-js differs). `KEY;root=R` = verify log
// entries and timestamps against trusted root R; otherwise key-only.
#include <gtest/gtest.h>

#include "app/sign/blob_signer.hpp"
#include "app/verify/bundle_verify.hpp"
#include "support/case_table.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

std::pair<bool, std::string> run_bundle_case(const test::CosignCase& c) {
  if (!c.has(c.key)) return {false, "no key"};
  auto key = app::load_public_key(c.path(c.key));
  if (!key) return {false, key.error().message};
  std::optional<sigstore::TrustedRoot> root;
  if (!c.root.empty()) {
    auto r = app::load_trusted_root(c.path(c.root));
    if (!r) return {false, r.error().message};
    root = std::move(*r);
  }
  auto bundle = read_text_file(c.path(c.signature), 1u << 24);
  if (!bundle) return {false, bundle.error().message};
  std::optional<Bytes> artifact;
  if (c.has(c.artifact)) {
    auto a = read_file(c.path(c.artifact), 1u << 26);
    if (!a) return {false, a.error().message};
    artifact = std::move(*a);
  }
  const auto check = app::verify_bundle(artifact ? std::optional<ByteView>(*artifact) : std::nullopt, *bundle, *key,
                                        root ? &*root : nullptr);
  return {check.verified, check.reason};
}

TEST(BundleCases, EveryBundleRowGivesItsExpectedResult) {
  int ran = 0;
  for (const auto& c : test::cosign_cases()) {
    if (c.name.rfind("bundle-", 0) != 0) continue;
    ++ran;
    const auto got = run_bundle_case(c);
    EXPECT_EQ(got.first, c.expected == "ok") << c.name << " (" << c.source << "): " << got.second;
  }
  EXPECT_EQ(ran, 35);
}

}  // namespace
}  // namespace chartprov

namespace chartprov {
namespace {

test::CosignCase find_case(const std::string& name) {
  for (const auto& c : test::cosign_cases()) {
    if (c.name == name) return c;
  }
  ADD_FAILURE() << "no case " << name;
  return {};
}

TEST(BundleCases, RefusalsSayWhy) {
  const std::pair<const char*, const char*> expected[] = {
      {"bundle-tlog-neg-tampered-inclusion-hash", "inclusion proof"},
      {"bundle-tlog-neg-tampered-set", "signed entry timestamp"},
      {"bundle-tlog-neg-integrated-time-changed", "signed entry timestamp"},
      {"bundle-tlog-neg-tampered-checkpoint-sig", "checkpoint is not signed"},
      {"bundle-conformance-staging-with-prod-root", "not in the trusted root"},
      {"bundle-neg-digest-mismatch", "messageDigest"},
      {"bundle-neg-unknown-field", "unknown field"},
      {"bundle-neg-media-type-v0.4", "media type"},
      {"bundle-neg-v03-with-certificate-chain", "x509CertificateChain"},
      {"bundle-neg-intoto-wrong-artifact", "subject"},
      {"bundle-neg-wrong-key", "does not verify"},
  };
  for (const auto& [name, why] : expected) {
    const auto got = run_bundle_case(find_case(name));
    EXPECT_FALSE(got.first) << name;
    EXPECT_NE(got.second.find(why), std::string::npos) << name << ": " << got.second;
  }
}

TEST(BundleCases, WithTheRootEveryEntryAndTimestampIsCheckedNotSkipped) {
  const auto c = find_case("bundle-conformance-managed-key-with-root");
  auto key = app::load_public_key(c.path(c.key));
  auto root = app::load_trusted_root(c.path(c.root));
  auto bundle = read_text_file(c.path(c.signature), 1u << 24);
  auto artifact = read_file(c.path(c.artifact), 1u << 20);
  ASSERT_TRUE(key.ok() && root.ok() && bundle.ok() && artifact.ok());
  const auto check = app::verify_bundle(ByteView(*artifact), *bundle, *key, &*root);
  EXPECT_TRUE(check.verified) << check.reason;
  EXPECT_EQ(check.tlog_entries_verified, 1);
  EXPECT_EQ(check.timestamps_verified, 1);
  EXPECT_EQ(check.integrated_time, 1766077479);
  const auto key_only = app::verify_bundle(ByteView(*artifact), *bundle, *key, nullptr);
  EXPECT_TRUE(key_only.verified);
  EXPECT_EQ(key_only.tlog_entries_verified, 0);
}

}  // namespace
}  // namespace chartprov
