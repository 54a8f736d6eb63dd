// Bundles we write (write_message_bundle / write_dsse_bundle) are accepted
// by our verifier and by sigstore-js (tests/data/cosign/verify-bundle.mjs,
// which adds cosign's checks back), and refused by both when the artifact
// is tampered. The keys and signatures are made here with OpenSSL.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/process/process.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

namespace chartprov {
namespace {

struct Alg {
  const char* spec;
  crypto::DigestAlg digest;
  const char* name;  // the bundle's HashAlgorithm
};

const Alg kAlgs[] = {{"ecdsa-p256", crypto::DigestAlg::kSha256, "SHA2_256"},
                     {"ecdsa-p384", crypto::DigestAlg::kSha384, "SHA2_384"},
                     {"rsa-3072", crypto::DigestAlg::kSha256, "SHA2_256"}};

Bytes sign_digest(const crypto::PKey& key, const Alg& alg, ByteView digest) {
  if (std::string_view(alg.spec).rfind("rsa", 0) == 0) return crypto::sign_rsa_pkcs1(key, alg.digest, digest).value();
  auto rs = crypto::sign_dsa_or_ecdsa(key, digest).value();
  return crypto::encode_dsa_signature_der(rs.r, rs.s);
}

Bytes digest_of(const Alg& alg, ByteView data) {
  auto d = crypto::Digest::create(alg.digest).value();
  d.update(data);
  return d.finish();
}

std::string pem(ByteView spki) {
  const std::string b64 = base64_encode(spki);
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END PUBLIC KEY-----\n";
}

// sigstore-js's verdict; skipped (not passed) when node or the packages are missing.
bool sigstore_js_accepts(const test::TempDir& dir, const std::string& bundle, const std::string& artifact) {
  const std::filesystem::path node = "/usr/bin/node";
  const std::string js_dir = "/opt/peers/node";
  if (!std::filesystem::exists(node) || !std::filesystem::exists(js_dir + "/node_modules/@sigstore/verify")) {
    ADD_FAILURE() << "sigstore-js is not installed (make peers)";
    return false;
  }
  process::ProcessLimits limits;
  limits.extra_env = {"SIGSTORE_JS_DIR=" + js_dir};
  auto r = process::run_process(
      {node.string(), test::data("cosign/verify-bundle.mjs").string(), "--bundle", (dir / bundle).string(), "--key",
       (dir / "key.pub").string(), "--artifact", (dir / artifact).string()},
      {}, limits);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() && r->exit_code == 0;
}

TEST(BundleInterop, MessageBundlesWeWriteVerifyInSigstoreJsAndHere) {
  for (const auto& alg : kAlgs) {
    SCOPED_TRACE(alg.spec);
    test::TempDir dir;
    auto key = crypto::generate_key(alg.spec);
    ASSERT_TRUE(key.ok());
    const Bytes spki = crypto::spki_der(*key).value();
    const std::string artifact = "apiVersion: v2\nname: demo\n";
    const Bytes data(artifact.begin(), artifact.end());
    const Bytes digest = digest_of(alg, data);
    const std::string bundle = sigstore::write_message_bundle(alg.name, digest, sign_digest(*key, alg, digest),
                                                              crypto::spki_key_id_bytes(*key).value());
    // The hint is the key id: base64 of the SHA-256 of the key's SPKI.
    EXPECT_NE(bundle.find("\"hint\":\"" + base64_encode(crypto::sha256(spki)) + "\""), std::string::npos);
    test::write_text(dir / "key.pub", pem(spki));
    test::write_text(dir / "a.txt", artifact);
    test::write_text(dir / "tampered.txt", artifact + "#");
    test::write_text(dir / "b.sigstore.json", bundle);

    auto pub = crypto::parse_spki_der(spki);
    ASSERT_TRUE(pub.ok());
    const auto ours = app::verify_bundle(ByteView(data), bundle, *pub, nullptr);
    EXPECT_TRUE(ours.verified) << ours.reason;
    EXPECT_EQ(ours.content, "message-signature");
    const std::string bad = artifact + "#";
    EXPECT_FALSE(app::verify_bundle(as_bytes(bad), bundle, *pub, nullptr).verified);

    EXPECT_TRUE(sigstore_js_accepts(dir, "b.sigstore.json", "a.txt"));
    EXPECT_FALSE(sigstore_js_accepts(dir, "b.sigstore.json", "tampered.txt"));
  }
}

TEST(BundleInterop, DsseInTotoBundlesWeWriteVerifyInSigstoreJsAndHere) {
  const Alg& alg = kAlgs[0];
  test::TempDir dir;
  auto key = crypto::generate_key(alg.spec);
  ASSERT_TRUE(key.ok());
  const Bytes spki = crypto::spki_der(*key).value();
  const std::string artifact = "chart bytes\n";
  const std::string hex = hex_encode(crypto::sha256(as_bytes(artifact)));
  const std::string statement =
      R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"demo-0.1.0.tgz","digest":{"sha256":")" + hex +
      R"("}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}})";
  const std::string type = "application/vnd.in-toto+json";
  const Bytes pae = sigstore::dsse_pae(type, as_bytes(statement));
  const Bytes sig = sign_digest(*key, alg, crypto::sha256(pae));
  const std::string bundle =
      sigstore::write_dsse_bundle(type, as_bytes(statement), sig, crypto::spki_key_id_bytes(*key).value());
  test::write_text(dir / "key.pub", pem(spki));
  test::write_text(dir / "a.tgz", artifact);
  test::write_text(dir / "tampered.tgz", "other\n");
  test::write_text(dir / "b.sigstore.json", bundle);

  auto pub = crypto::parse_spki_der(spki);
  ASSERT_TRUE(pub.ok());
  const auto ours = app::verify_bundle(as_bytes(artifact), bundle, *pub, nullptr);
  EXPECT_TRUE(ours.verified) << ours.reason;
  EXPECT_EQ(ours.content, "dsse");
  EXPECT_TRUE(app::verify_bundle_for_digest(hex, bundle, *pub, nullptr).verified);
  EXPECT_FALSE(app::verify_bundle_for_digest(std::string(64, 'a'), bundle, *pub, nullptr).verified);
  EXPECT_FALSE(app::verify_bundle(as_bytes(std::string("other\n")), bundle, *pub, nullptr).verified);

  EXPECT_TRUE(sigstore_js_accepts(dir, "b.sigstore.json", "a.tgz"));
  EXPECT_FALSE(sigstore_js_accepts(dir, "b.sigstore.json", "tampered.tgz"));
}

TEST(BundleInterop, PaeIsTheDsseEncoding) {
  const Bytes pae = sigstore::dsse_pae("http://example.com/HelloWorld", as_bytes(std::string("hello world")));
  EXPECT_EQ(std::string(pae.begin(), pae.end()), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
}

}  // namespace
}  // namespace chartprov

namespace chartprov {
namespace {

TEST(BundleWriter, ThreeArgumentFormIsSha256InCosignV3Shape) {
  const Bytes digest(32, 0xab), sig{0x30, 0x00}, key_id(32, 0x5c);
  const std::string b = sigstore::write_message_bundle(ByteView(digest), ByteView(sig), ByteView(key_id));
  EXPECT_EQ(b, sigstore::write_message_bundle("SHA2_256", digest, sig, key_id));
  EXPECT_EQ(
      b,
      R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":")" +
          base64_encode(key_id) + R"("}},"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":")" +
          base64_encode(digest) + R"("},"signature":"MAA="}})" + "\n");
}

}  // namespace
}  // namespace chartprov
