// chartprov-rnp verify-cleartext, the reference verifier: it must agree with
// the rnp CLI's recorded verdicts (crosscheck.tsv, newline appended) on every
// vector case, and say good/bad/cannot-tell through its exit code.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "infra/process/process.hpp"
#include "support/test_support.hpp"

using namespace chartprov;

namespace {

std::string helper() { return (std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-rnp").string(); }

process::ProcessResult verify(const std::filesystem::path& keyring, const std::filesystem::path& prov) {
  const auto r = process::run_process({helper(), "verify-cleartext", keyring.string(), prov.string()}, {});
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : process::ProcessResult{};
}

std::vector<std::vector<std::string>> tsv(const std::string& rel) {
  std::ifstream in(test::data(rel));
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    rows.push_back(f);
  }
  return rows;
}

}  // namespace

TEST(VerifyCleartext, UpstreamHelmProvenance) {
  const auto dir = test::data("helm/upstream/pkg/provenance/testdata");
  const auto good = verify(dir / "helm-test-key.pub", dir / "hashtest-1.2.3.tgz.prov");
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(good.out, "good 5E615389B53CA37F0EE60BD3843BBF981FC18762\n");

  test::TempDir tmp;
  std::string text = test::read_text(dir / "hashtest-1.2.3.tgz.prov");
  text.replace(text.find("hashtest"), 8, "hashtesx");
  test::write_text(tmp / "tampered.prov", text);
  const auto tampered = verify(dir / "helm-test-key.pub", tmp / "tampered.prov");
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_EQ(tampered.out.rfind("bad ", 0), 0u) << tampered.out;

  const auto other = verify(test::data("helm/generated/keys/rsa3072.pub.gpg"), dir / "hashtest-1.2.3.tgz.prov");
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_EQ(other.out.rfind("bad ", 0), 0u) << other.out;

  const auto missing = verify(dir / "helm-test-key.pub", tmp / "missing.prov");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

TEST(VerifyCleartext, AgreesWithRecordedRnpVerdictsOnEveryCase) {
  std::map<std::string, std::string> rnp_newline;  // case -> rnp exit with a newline appended
  for (const auto& row : tsv("helm/generated/crosscheck.tsv")) {
    if (row.size() > 5) rnp_newline[row[0]] = row[5];
  }
  int compared = 0;
  for (const auto& row : tsv("helm/cases.tsv")) {
    if (row.size() < 4 || row[2].empty() || row[3].empty() || !rnp_newline.count(row[0])) continue;
    const auto prov = test::data("helm/" + row[2]);
    const auto keyring = test::data("helm/" + row[3]);
    if (!std::filesystem::exists(prov) || !std::filesystem::exists(keyring)) continue;
    const auto want = rnp_newline[row[0]];
    if (want != "0" && want != "1") continue;
    const auto r = verify(keyring, prov);
    EXPECT_EQ(r.exit_code == 0, want == "0") << row[0] << ": " << r.out << r.err;
    ++compared;
  }
  EXPECT_GT(compared, 50);
}
