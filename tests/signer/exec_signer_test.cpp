#include "signer/exec_signer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "infra/openssl/key_file.hpp"
#include "infra/openssl/spki.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::signer {
namespace {

namespace fs = std::filesystem;

class ExecSignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chartprov-exec-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // A copy with known permissions (a checkout under umask 002 would be group-writable).
    plugin_ = dir_ / "file-signer";
    fs::copy_file(fs::path(CHARTPROV_TEST_DATA) / "../../packaging/exec-signer/chartprov-file-signer", plugin_);
    ::chmod(plugin_.c_str(), 0755);
    key_a_ = write_key("a.key", "ecdsa-p256");
    key_b_ = write_key("b.key", "ecdsa-p256");
    ::setenv("CHARTPROV_SIGNER_KEY_FILE", key_a_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("CHARTPROV_SIGNER_KEY_FILE");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write_key(const std::string& name, const char* spec) {
    auto key = crypto::generate_key(spec);
    EXPECT_TRUE(key.ok());
    auto file = crypto::write_private_key_file(*key, {}, nullptr);
    EXPECT_TRUE(file.ok());
    const fs::path path = dir_ / name;
    EXPECT_TRUE(atomic_write(path, ByteView(file->bytes()), 0600).ok());
    return path;
  }

  fs::path script(const std::string& name, const std::string& body, unsigned mode = 0755) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), mode);
    return path;
  }

  static Bytes digest32() { return crypto::sha256(as_bytes("chart bytes")); }

  fs::path dir_, plugin_, key_a_, key_b_;
};

TEST_F(ExecSignerTest, SignsThroughTheExamplePluginAndTheSignatureVerifies) {
  auto signer = open_exec_signer("exec:" + plugin_.string());
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  const Bytes digest = digest32();
  auto sig = (*signer)->sign_digest(crypto::DigestAlg::kSha256, digest);
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_TRUE(signature_matches((*signer)->public_key(), crypto::DigestAlg::kSha256, digest, *sig));
  EXPECT_EQ((*signer)->describe(), "exec:" + plugin_.string());
  auto message_sig = (*signer)->sign_message(as_bytes("chart bytes"));
  ASSERT_TRUE(message_sig.ok());
  EXPECT_TRUE(signature_matches((*signer)->public_key(), crypto::DigestAlg::kSha256, digest, *message_sig));
}

TEST_F(ExecSignerTest, RsaKeysWork) {
  ::setenv("CHARTPROV_SIGNER_KEY_FILE", write_key("r.key", "rsa-3072").c_str(), 1);
  auto signer = open_exec_signer("exec:" + plugin_.string());
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  auto sig = (*signer)->sign_digest(crypto::DigestAlg::kSha256, digest32());
  ASSERT_TRUE(sig.ok()) << sig.error().message;
  EXPECT_EQ(sig->size(), 384u);
}

TEST_F(ExecSignerTest, ASignatureByAnotherKeyIsRefused) {
  // Claims key A, signs with key B.
  const auto liar = script(
      "liar",
      "req=$(cat)\ncase \"$req\" in\n*public-key*) echo \"$req\" | CHARTPROV_SIGNER_KEY_FILE=" + key_a_.string() + " " +
          plugin_.string() + ";;\n*) echo \"$req\" | CHARTPROV_SIGNER_KEY_FILE=" + key_b_.string() + " " +
          plugin_.string() + ";;\nesac");
  auto signer = open_exec_signer("exec:" + liar.string());
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  auto sig = (*signer)->sign_digest(crypto::DigestAlg::kSha256, digest32());
  ASSERT_FALSE(sig.ok());
  EXPECT_NE(sig.error().message.find("does not verify with its public key"), std::string::npos) << sig.error().message;
}

TEST_F(ExecSignerTest, TheExpectedKeyIdIsEnforced) {
  auto pub = open_exec_signer("exec:" + plugin_.string());
  ASSERT_TRUE(pub.ok());
  ExecSignerOptions options;
  options.expected_key_id = std::string(64, '0');
  auto signer = open_exec_signer("exec:" + plugin_.string(), options);
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("not the expected"), std::string::npos);
  options.expected_key_id = hex_encode(crypto::sha256(*crypto::spki_der((*pub)->public_key())));
  EXPECT_TRUE(open_exec_signer("exec:" + plugin_.string(), options).ok());
}

TEST_F(ExecSignerTest, CrashesTimeoutsAndGarbageAreRefused) {
  struct Case {
    const char* name;
    std::string body;
    const char* expect;
  };
  const Case cases[] = {
      {"crash", "kill -SEGV $$", "signal"},
      {"exit1", "echo '{\"error\":\"vault sealed\"}'; exit 3", "vault sealed"},
      {"garbage", "cat >/dev/null; echo 'hello'", "not a JSON object"},
      {"no-key", "cat >/dev/null; echo '{\"pub\":1}'", "without a \"public_key\""},
      {"bad-pem",
       "cat >/dev/null; printf '%s' '{\"public_key\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC "
       "KEY-----\"}'",
       "unusable public key"},
      {"huge", "cat >/dev/null; head -c 200000 /dev/zero", "failed"},
      {"hang", "sleep 20", "failed"},
  };
  ExecSignerOptions options;
  options.timeout = std::chrono::milliseconds(700);
  for (const auto& c : cases) {
    auto signer = open_exec_signer("exec:" + script(c.name, c.body).string(), options);
    ASSERT_FALSE(signer.ok()) << c.name;
    EXPECT_NE(signer.error().message.find(c.expect), std::string::npos) << c.name << ": " << signer.error().message;
  }
}

TEST_F(ExecSignerTest, GarbageSignaturesAreRefused) {
  const auto bad_sig = script("bad-sig", "req=$(cat)\ncase \"$req\" in\n*public-key*) echo \"$req\" | " +
                                             plugin_.string() + ";;\n*) echo '{\"signature\":\"MEUCIQ==\"}';;\nesac");
  auto signer = open_exec_signer("exec:" + bad_sig.string());
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  EXPECT_FALSE((*signer)->sign_digest(crypto::DigestAlg::kSha256, digest32()).ok());
  const auto not_b64 = script("not-b64", "req=$(cat)\ncase \"$req\" in\n*public-key*) echo \"$req\" | " +
                                             plugin_.string() + ";;\n*) echo '{\"signature\":\"!!\"}';;\nesac");
  auto signer2 = open_exec_signer("exec:" + not_b64.string());
  ASSERT_TRUE(signer2.ok());
  EXPECT_FALSE((*signer2)->sign_digest(crypto::DigestAlg::kSha256, digest32()).ok());
}

TEST_F(ExecSignerTest, UnsafeOrMissingProgramsAreRefusedBeforeRunning) {
  const auto marker = dir_ / "ran";
  const auto writable = script("writable", "touch " + marker.string(), 0775);
  auto r = open_exec_signer("exec:" + writable.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("writable by group or others"), std::string::npos);
  EXPECT_FALSE(fs::exists(marker));
  EXPECT_FALSE(open_exec_signer("exec:relative/path").ok());
  EXPECT_FALSE(open_exec_signer("exec:" + (dir_ / "missing").string()).ok());
  EXPECT_FALSE(open_exec_signer("exec:" + key_a_.string()).ok());  // not executable
  EXPECT_FALSE(open_exec_signer("file:" + plugin_.string()).ok());
}

TEST_F(ExecSignerTest, Ed25519PluginsAreRefusedClearly) {
  ::setenv("CHARTPROV_SIGNER_KEY_FILE", write_key("e.key", "ed25519").c_str(), 1);
  auto signer = open_exec_signer("exec:" + plugin_.string());
  ASSERT_FALSE(signer.ok());
  EXPECT_NE(signer.error().message.find("ECDSA, RSA"), std::string::npos) << signer.error().message;
}

}  // namespace
}  // namespace chartprov::signer
