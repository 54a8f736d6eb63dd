// verify-repo's use case on small repository directories made from the Helm
// vectors (tests/data/helm/generated): the work list from index.yaml and the
// verdict per chart, with the keyring loaded once.
#include "app/repo/verify_repo.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "infra/openssl/digest.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

const fs::path kCase = "helm/generated/cases/ok-helm-rsa3072";

std::string sha256_of(const fs::path& p) { return hex_encode(crypto::sha256(read_file(p).value())); }

// DIR with demo-0.1.0.tgz (+ .prov) and an index.yaml listing it with `digest`.
void make_repo(const fs::path& dir, const std::string& digest, const std::string& extra_entries = "") {
  fs::create_directories(dir);
  fs::copy_file(test::data((kCase / "demo-0.1.0.tgz").string()), dir / "demo-0.1.0.tgz");
  fs::copy_file(test::data((kCase / "demo-0.1.0.tgz.prov").string()), dir / "demo-0.1.0.tgz.prov");
  test::write_text(dir / "index.yaml",
                   "apiVersion: v1\nentries:\n  demo:\n  - name: demo\n    version: 0.1.0\n    digest: " + digest +
                       "\n    urls: [demo-0.1.0.tgz]\n" + extra_entries);
}

RepoTrustOptions keyring() {
  RepoTrustOptions o;
  o.keyring = test::data("helm/generated/keys/rsa3072.pub.gpg");
  return o;
}

TEST(VerifyRepo, AGoodRepositoryVerifies) {
  test::TempDir t;
  make_repo(t / "r", sha256_of(test::data((kCase / "demo-0.1.0.tgz").string())));
  std::atomic<int> calls{0};
  VerifyRepoRequest req;
  req.dir = t / "r";
  req.trust = keyring();
  req.progress = [&](std::size_t done, std::size_t total, std::size_t failed) {
    ++calls;
    EXPECT_LE(done, total);
    EXPECT_EQ(failed, 0u);
  };
  const auto r = verify_repo(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->charts.size(), 1u);
  EXPECT_TRUE(r->all_verified());
  EXPECT_EQ(r->charts[0].outcome, ChartOutcome::kVerified);
  EXPECT_EQ(r->charts[0].digest, r->charts[0].index_digest);
  EXPECT_EQ(r->charts[0].signer.size(), 40u);
  EXPECT_EQ(calls.load(), 1);
}

TEST(VerifyRepo, EachProblemIsThatChartsAndTheOthersStillVerify) {
  test::TempDir t;
  const std::string good = sha256_of(test::data((kCase / "demo-0.1.0.tgz").string()));
  make_repo(t / "r", "sha256:" + good,
            "  gone:\n  - {name: gone, version: 1.0.0, digest: " + good +
                ", urls: [gone-1.0.0.tgz]}\n"
                "  up:\n  - {name: up, version: 1.0.0, digest: " +
                good +
                ", urls: [../up-1.0.0.tgz]}\n"
                "  twice:\n  - {name: twice, version: 1.0.0, digest: " +
                good + ", urls: [demo-0.1.0.tgz]}\n");
  fs::create_directories(t / "r/sub");
  fs::copy_file(t / "r/demo-0.1.0.tgz", t / "r/sub/demo-0.1.0.tgz");  // not listed
  const auto listing = list_repo(t / "r");
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  ASSERT_EQ(listing->charts.size(), 5u);
  EXPECT_TRUE(listing->charts[0].reasons.empty());
  EXPECT_TRUE(listing->charts[1].reasons.empty());  // missing: found out when verified
  EXPECT_NE(listing->charts[2].reasons.at(0).find("not a file of this repository"), std::string::npos);
  EXPECT_NE(listing->charts[3].reasons.at(0).find("listed for another entry too"), std::string::npos);
  EXPECT_FALSE(listing->charts[4].listed);
  EXPECT_EQ(listing->charts[4].file, "sub/demo-0.1.0.tgz");

  VerifyRepoRequest req;
  req.dir = t / "r";
  req.trust = keyring();
  req.jobs = 2;
  const auto r = verify_repo(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->verified, 1u);
  EXPECT_EQ(r->failed, 4u);
  EXPECT_EQ(r->unsigned_charts, 0u);
  EXPECT_EQ(r->charts[1].reasons.at(0), "listed in index.yaml but not in the repository");
  // The unlisted copy has no .prov beside it, but not being listed fails it (not merely unsigned).
  EXPECT_EQ(r->charts[4].outcome, ChartOutcome::kFailed);
  EXPECT_EQ(r->charts[4].reasons.back(), "not listed in index.yaml");
}

// The directory walk's sightings stand in for a lookup per file: each kind of
// file a listed url can name must get the verdict that lstat would give it.
TEST(VerifyRepo, WhatTheWalkSeesDecidesAsALookupWould) {
  test::TempDir t;
  const fs::path chart = test::data((kCase / "demo-0.1.0.tgz").string());
  const fs::path prov = test::data((kCase / "demo-0.1.0.tgz.prov").string());
  const std::string good = sha256_of(chart);
  std::string entries;
  for (const std::string n : {"link", "dir", "bare", "dangling", "hidden", "viadir"}) {
    const std::string url = n == "hidden"   ? ".h/demo-0.1.0.tgz"
                            : n == "viadir" ? "ln/demo-0.1.0.tgz"
                                            : n + "/demo-0.1.0.tgz";
    entries += "  " + n + ":\n  - {name: " + n + ", version: 0.1.0, digest: " + good + ", urls: [" + url + "]}\n";
  }
  make_repo(t / "r", good, entries);
  for (const char* d : {"link", "dir/demo-0.1.0.tgz", "bare", "dangling", ".h", "real"})
    fs::create_directories(t / "r" / d);
  fs::create_symlink(t / "r/demo-0.1.0.tgz", t / "r/link/demo-0.1.0.tgz");  // the chart is a link
  fs::copy_file(chart, t / "r/bare/demo-0.1.0.tgz");                        // no .prov beside it
  fs::copy_file(chart, t / "r/dangling/demo-0.1.0.tgz");
  fs::create_symlink(t / "r/nowhere", t / "r/dangling/demo-0.1.0.tgz.prov");  // a .prov that leads nowhere
  for (const char* d : {".h", "real"}) {  // a hidden directory (not walked) and one reached through a link
    fs::copy_file(chart, t / "r" / d / "demo-0.1.0.tgz");
    fs::copy_file(prov, t / "r" / d / "demo-0.1.0.tgz.prov");
  }
  fs::create_symlink(t / "r/real", t / "r/ln");
  VerifyRepoRequest req;
  req.dir = t / "r";
  req.trust = keyring();
  const auto r = verify_repo(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_GE(r->charts.size(), 7u);
  const auto reasons = [&](std::size_t i) {
    std::string all;
    for (const auto& x : r->charts[i].reasons) all += x + "\n";
    return all;
  };
  // Each entry is listed under its own name, the archive is "demo": that is the one reason of a
  // chart that was found and whose envelope verified (or, unsigned, was rightly not looked for).
  const auto only_the_name = [&](const std::string& n) {
    return "index.yaml lists chart \"" + n + "\", the archive is \"demo\"\n";
  };
  EXPECT_EQ(r->charts[0].outcome, ChartOutcome::kVerified) << reasons(0);
  EXPECT_EQ(reasons(1), "is a symbolic link; refused\n");
  EXPECT_EQ(reasons(2), "is not a regular file\n");
  EXPECT_EQ(reasons(3), only_the_name("bare"));  // no .prov: not read
  EXPECT_EQ(reasons(4).find("no usable provenance file"), 0u) << reasons(4);
  EXPECT_EQ(reasons(5), only_the_name("hidden"));  // not seen by the walk: looked up
  EXPECT_EQ(reasons(6), only_the_name("viadir"));
}

TEST(VerifyRepo, ADigestThatIsNotTheArchivesFails) {
  test::TempDir t;
  make_repo(t / "r", std::string(64, '0'));
  VerifyRepoRequest req;
  req.dir = t / "r";
  req.trust = keyring();
  const auto r = verify_repo(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->charts.size(), 1u);
  EXPECT_EQ(r->charts[0].outcome, ChartOutcome::kFailed);
  ASSERT_EQ(r->charts[0].reasons.size(), 1u);
  EXPECT_NE(r->charts[0].reasons[0].find("index.yaml lists digest sha256:0000"), std::string::npos);
}

TEST(VerifyRepo, InputErrors) {
  test::TempDir t;
  VerifyRepoRequest req;
  req.dir = t / "none";
  req.trust = keyring();
  EXPECT_FALSE(verify_repo(req).ok());
  fs::create_directories(t / "r");
  req.dir = t / "r";
  EXPECT_NE(verify_repo(req).error().message.find("no index.yaml"), std::string::npos);
  test::write_text(t / "r/index.yaml", "apiVersion: v1\nentries: [x]\n");
  EXPECT_NE(verify_repo(req).error().message.find("entries is not a mapping"), std::string::npos);
  req.trust = {};
  EXPECT_EQ(verify_repo(req).error().kind, ErrorKind::kUsage);
  req.trust = keyring();
  req.trust.key = "cosign.pub";
  EXPECT_EQ(verify_repo(req).error().kind, ErrorKind::kUsage);
}

}  // namespace
}  // namespace chartprov::app
