// The PKCS#11 signer against a real SoftHSM2 token (scripts/softhsm.sh),
// through the real chartprov-pkcs11 helper.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>

#include "infra/openssl/spki.hpp"
#include "infra/process/process.hpp"
#include "signer/exec_signer.hpp"
#include "support/test_support.hpp"

namespace chartprov::signer {
namespace {

namespace fs = std::filesystem;

class Pkcs11SignerTest : public ::testing::Test {
 protected:
  // The token is made once for the suite. A failure here is recorded, not asserted: a fatal
  // failure in SetUpTestSuite makes gtest report the suite's tests as skipped, which ctest
  // counts as a pass. Each test's SetUp fails on it instead.
  static void SetUpTestSuite() {
    token_dir_ = new test::TempDir();  // NOLINT: lives for the suite
    const fs::path script = fs::path(CHARTPROV_TEST_DATA) / "../../scripts/softhsm.sh";
    auto run = process::run_process({"/bin/bash", script.string(), "init", token_dir_->path().string()}, {});
    if (!run.ok()) {
      setup_error_ = "softhsm.sh init did not run: " + run.error().message;
      return;
    }
    if (run->exit_code != 0) {
      setup_error_ = "softhsm.sh init failed: " + run->err;
      return;
    }
    std::istringstream lines(run->out);
    for (std::string line; std::getline(lines, line);) {
      const auto eq = line.find('=');
      if (eq == std::string::npos) continue;
      std::string value = line.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
      facts_[line.substr(0, eq)] = value;
    }
    ::setenv("SOFTHSM2_CONF", facts_["SOFTHSM2_CONF"].c_str(), 1);
  }
  void SetUp() override { ASSERT_TRUE(setup_error_.empty()) << setup_error_; }
  static void TearDownTestSuite() {
    delete token_dir_;  // NOLINT
    token_dir_ = nullptr;
  }

  static std::string helper() { return (fs::path(CHARTPROV_BINARY).parent_path() / "chartprov-pkcs11").string(); }
  static std::string uri(const std::string& key) { return facts_[key] + "?module-path=" + facts_["PKCS11_MODULE"]; }
  static SecretString pin() { return SecretString(facts_["PKCS11_PIN"]); }

  static inline test::TempDir* token_dir_ = nullptr;
  static inline std::map<std::string, std::string> facts_;
  static inline std::string setup_error_;
};

TEST_F(Pkcs11SignerTest, EcAndRsaKeysSignAndTheSignaturesVerifyWithTheExportedPublicKeys) {
  for (const auto& [uri_key, pem_key] :
       {std::pair{"EC_KEY_URI", "EC_PUB_PEM"}, std::pair{"RSA_KEY_URI", "RSA_PUB_PEM"}}) {
    const SecretString p = pin();
    auto signer = open_pkcs11_signer(uri(uri_key), &p, helper());
    ASSERT_TRUE(signer.ok()) << uri_key << ": " << signer.error().message;
    const Bytes digest = crypto::sha256(as_bytes("chart"));
    auto sig = (*signer)->sign_digest(crypto::DigestAlg::kSha256, digest);
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    auto exported = crypto::parse_public_key_pem(test::read_text(facts_[pem_key]));
    ASSERT_TRUE(exported.ok());
    EXPECT_TRUE(signature_matches(*exported, crypto::DigestAlg::kSha256, digest, *sig)) << uri_key;
    EXPECT_EQ((*signer)->describe().find("123456"), std::string::npos);  // the PIN never shows
  }
}

TEST_F(Pkcs11SignerTest, ThePinMayComeFromTheUri) {
  auto signer = open_pkcs11_signer(uri("EC_KEY_URI") + "&pin-value=" + facts_["PKCS11_PIN"], nullptr, helper());
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_NE((*signer)->describe().find("pin-value=REDACTED"), std::string::npos);
}

TEST_F(Pkcs11SignerTest, WrongPinMissingPinAndUnknownKeysAreRefused) {
  const SecretString wrong("000000");
  auto r = open_pkcs11_signer(uri("EC_KEY_URI"), &wrong, helper());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("CKR_PIN_INCORRECT"), std::string::npos) << r.error().message;
  r = open_pkcs11_signer(uri("EC_KEY_URI"), nullptr, helper());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("PIN"), std::string::npos) << r.error().message;
  const SecretString p = pin();
  r = open_pkcs11_signer("pkcs11:token=chartprov-test;object=nope?module-path=" + facts_["PKCS11_MODULE"], &p,
                         helper());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no private key"), std::string::npos) << r.error().message;
  r = open_pkcs11_signer("pkcs11:token=other;object=ec-signing?module-path=" + facts_["PKCS11_MODULE"], &p, helper());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no token"), std::string::npos) << r.error().message;
  r = open_pkcs11_signer("pkcs11:token=chartprov-test;object=ec-signing?module-path=/nonexistent.so", &p, helper());
  ASSERT_FALSE(r.ok());
  r = open_pkcs11_signer("pkcs11:token=chartprov-test;object=ec-signing", &p, helper());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("module-path"), std::string::npos);
}

}  // namespace
}  // namespace chartprov::signer
