// chartprov-rnp verify-cleartext, the reference verifier: it must agree with
// the rnp CLI's recorded verdicts (crosscheck.tsv, newline appended) on every
// vector case, and say good/bad/cannot-tell through its exit code.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/sign/gnupg_signing.hpp"
#include "envelope/prov/cleartext.hpp"
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

// What the bridge signs, framed as a Helm .prov: RNP's own verifier and gpg
// both accept it with the key's public keyring, and refuse a changed text.
TEST(VerifyCleartext, OurSignaturesWithEveryVectorKey) {
  const std::string text =
      "apiVersion: v2\nname: demo\nversion: 0.1.0\n\n...\nfiles:\n  demo-0.1.0.tgz: "
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
  const auto signed_text = envelope::prov::signed_text_for(text);
  ASSERT_TRUE(signed_text.ok()) << signed_text.error().message;
  const std::string pass = test::read_text(test::data("helm/generated/keys/rsa3072-pass.passphrase"));
  test::TempDir tmp;
  int signed_count = 0;
  for (const std::string name : {"rsa2048", "rsa3072", "rsa4096", "rsa3072-pass", "dsa2048", "ed25519", "nistp256",
                                 "nistp384", "nistp521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1",
                                 "secp256k1", "subkey-ed25519", "subkey-ed25519.secret-subkeys-only"}) {
    SCOPED_TRACE(name);
    app::GnupgSignRequest req;
    req.source = test::private_copy(test::data("helm/generated/keys/" + name + ".sec.gpg"));
    req.key = "TEST KEY";
    req.passphrase = SecretString(pass.substr(0, pass.find_first_of("\r\n")));
    req.data = to_bytes(*signed_text);
    const auto sig = app::sign_with_gnupg(req);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    const std::string pub_name = name.substr(0, name.find('.'));
    const auto pub = test::data("helm/generated/keys/" + pub_name + ".pub.gpg");
    const auto prov = tmp / (name + ".prov");
    test::write_text(prov, envelope::prov::write_cleartext(text, "SHA512", sig->signature));

    const auto rnp = verify(pub, prov);
    EXPECT_EQ(rnp.exit_code, 0) << rnp.err;
    EXPECT_EQ(rnp.out, "good " + sig->fingerprint + "\n");

    test::TempDir home;
    const auto import = process::run_process(
        {"/usr/bin/gpg", "--homedir", home.path().string(), "--batch", "--import", pub.string()}, {});
    ASSERT_TRUE(import.ok() && import->exit_code == 0);
    const auto gpg = process::run_process(
        {"/usr/bin/gpg", "--homedir", home.path().string(), "--batch", "--status-fd", "1", "--verify", prov.string()},
        {});
    ASSERT_TRUE(gpg.ok());
    EXPECT_EQ(gpg->exit_code, 0) << gpg->err;
    EXPECT_NE(gpg->out.find("[GNUPG:] VALIDSIG " + sig->fingerprint), std::string::npos) << gpg->out;

    std::string tampered = test::read_text(prov);
    tampered.replace(tampered.find("0.1.0"), 5, "0.1.1");
    test::write_text(prov, tampered);
    EXPECT_EQ(verify(pub, prov).exit_code, 1);
    ++signed_count;
  }
  EXPECT_EQ(signed_count, 15);
}
