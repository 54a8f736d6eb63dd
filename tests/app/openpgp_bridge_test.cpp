#include "app/helpers/openpgp_bridge.hpp"

#include <gtest/gtest.h>

#include "openpgp/cert.hpp"
#include "openpgp/key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signature.hpp"

namespace chartprov::app {
namespace {

TEST(OpenPgpBridge, SignaturesThroughAnySignerVerifyAsOpenPgp) {
  for (const char* spec : {"ecdsa-p256", "ecdsa-p384", "rsa-3072"}) {
    auto key = crypto::generate_key(spec);
    ASSERT_TRUE(key.ok());
    const auto s = signer::make_key_signer(std::move(*key), "test");
    auto pgp = openpgp_signer_for(*s, 1764000000);
    ASSERT_TRUE(pgp.ok()) << pgp.error().message;
    // make_signature_packet verifies what it built against the public key:
    // success means the bridged signature is a valid OpenPGP signature.
    auto packet = openpgp::make_signature_packet(**pgp, {}, as_bytes("name: demo\n"));
    ASSERT_TRUE(packet.ok()) << spec << ": " << packet.error().message;
    auto cert = openpgp::build_certificate(**pgp, "HSM <hsm@example.com>", 1764000000, std::nullopt);
    ASSERT_TRUE(cert.ok()) << cert.error().message;
  }
}

TEST(OpenPgpBridge, Ed25519KeysInMemorySignAsEdDsa) {
  auto ed = crypto::generate_key("ed25519");
  ASSERT_TRUE(ed.ok());
  const auto s = signer::make_key_signer(std::move(*ed), "test");
  auto pgp = openpgp_signer_for(*s, 1764000000);
  ASSERT_TRUE(pgp.ok()) << pgp.error().message;
  auto packet = openpgp::make_signature_packet(**pgp, {}, as_bytes("name: demo\n"));
  EXPECT_TRUE(packet.ok()) << packet.error().message;
}

TEST(OpenPgpBridge, RefusesUnknownCreationTime) {
  auto ec = crypto::generate_key("ecdsa-p256");
  const auto s2 = signer::make_key_signer(std::move(*ec), "test");
  EXPECT_FALSE(openpgp_signer_for(*s2, 0).ok());
}

}  // namespace
}  // namespace chartprov::app
