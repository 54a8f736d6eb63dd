#include "openpgp/secret_key.hpp"

#include <gtest/gtest.h>

#include "openpgp/openpgp_test_util.hpp"
#include "openpgp/signature.hpp"
#include "openpgp/signer.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

const std::string kText = "apiVersion: v2\r\nname: demo\r\n...\r\nfiles:\r\n  demo-0.1.0.tgz: sha256:ab";

// Signs kText with the signer and checks the result against `key`.
void expect_signs_for(const DigestSigner& signer, const PublicKey& key) {
  EXPECT_EQ(signer.public_key().fingerprint, key.fingerprint);
  SignOptions opts;
  opts.created = key.created + 1;
  auto packet = make_signature_packet(signer, opts, as_bytes(kText));
  ASSERT_TRUE(packet.ok()) << packet.error().message;
  auto sigs = parse_signatures(*packet);
  ASSERT_TRUE(sigs.ok());
  const SignatureCheck check = verify_signature(sigs->front(), key, as_bytes(kText));
  EXPECT_TRUE(check.valid) << check.reason;
  Bytes other = to_bytes(kText);
  other.back() ^= 1;
  EXPECT_FALSE(verify_signature(sigs->front(), key, other).valid);
}

// Sum of the octets, as the v4 secret key checksum.
void fix_checksum(Bytes& body, std::size_t secret_start) {
  std::uint32_t sum = 0;
  for (std::size_t i = secret_start; i + 2 < body.size(); ++i) sum += body[i];
  body[body.size() - 2] = static_cast<std::uint8_t>((sum >> 8) & 0xff);
  body[body.size() - 1] = static_cast<std::uint8_t>(sum & 0xff);
}

}  // namespace

TEST(SecretKeyPacket, EveryUnencryptedVectorKeySignsVerifiably) {
  for (const char* name : {"rsa1024", "rsa2048", "rsa3072", "rsa4096", "dsa2048", "ed25519", "nistp256", "nistp384",
                           "nistp521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "secp256k1",
                           "subkey-ed25519", "expired-rsa2048", "untrusted-rsa3072"}) {
    SCOPED_TRACE(name);
    const Bytes body = test::packet_body(test::key_file(std::string(name) + ".sec.gpg"), 5);
    auto signer = signer_from_secret_key_packet(body);
    ASSERT_TRUE(signer.ok()) << signer.error().message;
    expect_signs_for(**signer, test::load_public_key(name));
  }
}

TEST(SecretKeyPacket, SigningSubkey) {
  const Bytes body = test::packet_body(test::key_file("subkey-ed25519.sec.gpg"), 7);
  auto signer = signer_from_secret_key_packet(body);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  const PublicKey sub = test::load_public_key("subkey-ed25519", true);
  EXPECT_EQ(hex_encode_upper((*signer)->public_key().fingerprint), "3364B542D218D074BF6D5D34EF4BBC6F5388AA65");
  expect_signs_for(**signer, sub);
}

TEST(SecretKeyPacket, EncryptedAndStubKeysAreRefusedWithAReason) {
  const Bytes encrypted = test::packet_body(test::key_file("rsa3072-pass.sec.gpg"), 5);
  auto r = signer_from_secret_key_packet(encrypted);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("encrypted"), std::string::npos) << r.error().message;

  const Bytes stub = test::packet_body(test::key_file("subkey-ed25519.secret-subkeys-only.sec.gpg"), 5);
  r = signer_from_secret_key_packet(stub);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("stub"), std::string::npos) << r.error().message;

  // A public key packet body is no secret key.
  EXPECT_FALSE(signer_from_secret_key_packet(test::packet_body(test::key_file("ed25519.pub.gpg"), 6)).ok());
}

TEST(SecretKeyPacket, CorruptionIsDetected) {
  const Bytes body = test::packet_body(test::key_file("nistp256.sec.gpg"), 5);
  auto pub = parse_public_key(body, true);
  ASSERT_TRUE(pub.ok());
  const std::size_t secret_start = pub->body.size() + 1;

  for (std::size_t n = 0; n < body.size(); ++n) {
    EXPECT_FALSE(signer_from_secret_key_packet(ByteView(body).first(n)).ok()) << n;
  }
  Bytes trailing = body;
  trailing.push_back(0);
  EXPECT_FALSE(signer_from_secret_key_packet(trailing).ok());

  Bytes bad_sum = body;
  bad_sum.back() ^= 1;
  auto r = signer_from_secret_key_packet(bad_sum);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos);

  // Another private value with a correct checksum: the pairwise check fails.
  Bytes other_d = body;
  other_d[secret_start + 5] ^= 0x40;
  fix_checksum(other_d, secret_start);
  r = signer_from_secret_key_packet(other_d);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos) << r.error().message;

  // Same for RSA (d changed) and EdDSA (seed changed).
  for (const char* name : {"rsa2048", "ed25519"}) {
    SCOPED_TRACE(name);
    Bytes b = test::packet_body(test::key_file(std::string(name) + ".sec.gpg"), 5);
    auto p = parse_public_key(b, true);
    const std::size_t start = p->body.size() + 1;
    b[start + 4] ^= 0x01;
    fix_checksum(b, start);
    EXPECT_FALSE(signer_from_secret_key_packet(b).ok());
  }
}

// GnuPG, a real peer, accepts what we sign with keys it made.
TEST(SecretKeyPacket, GpgvAcceptsOurDetachedSignatures) {
  test::TempDir dir;
  const std::string data = "chartprov detached signature test\n";
  test::write_text(dir / "data.txt", data);
  for (const char* name : {"rsa3072", "dsa2048", "ed25519", "nistp256", "nistp521", "brainpoolP384r1", "secp256k1"}) {
    SCOPED_TRACE(name);
    auto signer = signer_from_secret_key_packet(test::packet_body(test::key_file(std::string(name) + ".sec.gpg"), 5));
    ASSERT_TRUE(signer.ok()) << signer.error().message;
    SignOptions opts;
    opts.type = 0x00;
    opts.hash = HashAlgo::kSha512;  // gpg wants a hash at least as long as the curve order
    auto packet = make_signature_packet(**signer, opts, as_bytes(data));
    ASSERT_TRUE(packet.ok()) << packet.error().message;
    test::write_text(dir / "data.sig", std::string(packet->begin(), packet->end()));
    const std::string keyring = test::data("helm/generated/keys/" + std::string(name) + ".pub.gpg").string();
    const std::string cmd = "gpgv --homedir " + dir.path().string() + " --keyring " + keyring + " " +
                            (dir / "data.sig").string() + " " + (dir / "data.txt").string() + " >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    // And refuses it for other data.
    test::write_text(dir / "other.txt", data + "x");
    const std::string bad = "gpgv --homedir " + dir.path().string() + " --keyring " + keyring + " " +
                            (dir / "data.sig").string() + " " + (dir / "other.txt").string() + " >/dev/null 2>&1";
    EXPECT_NE(std::system(bad.c_str()), 0);
  }
}
