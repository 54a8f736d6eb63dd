#include "app/verify/embedded_scts.hpp"

#include <gtest/gtest.h>

#include "infra/openssl/spki.hpp"
#include "support/keyless_vectors.hpp"

using namespace chartprov;

namespace {

crypto::Certificate parse(const Bytes& der) { return crypto::Certificate::parse_der(der).value(); }

// The CT logs of a trusted root with an SPKI key (PKIX_*); the PKCS#1 RSA key
// of staging's retired log is left out (no vector SCT names it).
std::vector<sigstore::TransparencyLog> ctlogs(const std::string& root) {
  std::vector<sigstore::TransparencyLog> out;
  for (const auto& log : test::root_ctlogs(root)) {
    if (log.key_details.rfind("PKIX_", 0) != 0) continue;
    sigstore::TransparencyLog t;
    t.key = crypto::parse_spki_der(log.key).value();
    t.spki = log.key;
    t.log_id = log.log_id;
    t.valid = {log.start, log.end};
    out.push_back(std::move(t));
  }
  return out;
}

// The CA certificate of `root` that issued the case's leaf.
std::optional<crypto::Certificate> issuer_of(const crypto::Certificate& leaf, const std::string& root) {
  for (const auto& chain : test::root_ca_chains(root)) {
    std::vector<crypto::Certificate> certs;
    for (const Bytes& der : chain) certs.push_back(parse(der));
    if (const crypto::Certificate* issuer = crypto::find_issuer(leaf, certs)) return *issuer;
  }
  return std::nullopt;
}

Result<std::size_t> count(const std::string& bundle, const std::string& root) {
  const crypto::Certificate leaf = parse(test::bundle_leaf(bundle));
  const auto issuer = issuer_of(leaf, root);
  EXPECT_TRUE(issuer.has_value()) << bundle;
  if (!issuer) return internal_error("no issuer");
  return app::verify_embedded_scts(leaf, *issuer, ctlogs(root));
}

constexpr const char* kHappyPath = "bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json";
constexpr const char* kProduction = "roots/production/trusted_root.json";

}  // namespace

// Every vector upstream expects to pass carries an SCT its trusted root's CT logs vouch for.
TEST(EmbeddedScts, EveryPassingVectorHasAVerifiedSct) {
  int checked = 0;
  for (const auto& c : test::keyless_cases()) {
    if (c.expect != "pass") continue;
    const auto n = count(c.bundle, c.trusted_root);
    ASSERT_TRUE(n.ok()) << c.id << ": " << n.error().message;
    EXPECT_EQ(*n, 1u) << c.id;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(EmbeddedScts, AnSctWithExtensionsVerifies) {
  const auto n = count("bundles/sigstore-conformance/bundle-with-sct-with-extensions/bundle.sigstore.json",
                       "roots/sigstore-conformance/bundle-with-sct-with-extensions/trusted_root.json");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 1u);
}

TEST(EmbeddedScts, AWrongCtKeyVouchesForNothing) {
  // The happy path's bundle under a trusted root whose CT logs are not the one that signed.
  const auto n = count("bundles/sigstore-conformance/invalid-ct-key_fail/bundle.sigstore.json",
                       "roots/sigstore-conformance/invalid-ct-key_fail/trusted_root.json");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, 0u);
  // The same log id with another log's key.
  auto logs = ctlogs(kProduction);
  ASSERT_EQ(logs.size(), 2u);
  logs[1].key = crypto::parse_spki_der(logs[0].spki).value();
  const crypto::Certificate leaf = parse(test::bundle_leaf(kHappyPath));
  const auto issuer = issuer_of(leaf, kProduction);
  EXPECT_EQ(app::verify_embedded_scts(leaf, *issuer, logs).value(), 0u);
}

TEST(EmbeddedScts, ALogOutsideItsValidityVouchesForNothing) {
  const crypto::Certificate leaf = parse(test::bundle_leaf(kHappyPath));
  const auto issuer = issuer_of(leaf, kProduction);
  auto logs = ctlogs(kProduction);
  // The SCT's time is 2023-07-12T15:56:35.979Z: a log whose validity ends a second before.
  logs[1].valid.end = 1689177394;
  EXPECT_EQ(app::verify_embedded_scts(leaf, *issuer, logs).value(), 0u);
  logs[1].valid.end = 1689177395;  // the SCT's whole second is still inside
  EXPECT_EQ(app::verify_embedded_scts(leaf, *issuer, logs).value(), 1u);
}

TEST(EmbeddedScts, TheIssuerKeyHashMustBeTheIssuers) {
  const crypto::Certificate leaf = parse(test::bundle_leaf(kHappyPath));
  const auto chains = test::root_ca_chains(kProduction);
  const crypto::Certificate root = parse(chains.at(1).at(1));  // not the issuing intermediate
  EXPECT_EQ(app::verify_embedded_scts(leaf, root, ctlogs(kProduction)).value(), 0u);
}

TEST(EmbeddedScts, ACertificateWithoutSctsIsRefused) {
  const auto chains = test::root_ca_chains(kProduction);
  const crypto::Certificate intermediate = parse(chains.at(1).at(0));
  const crypto::Certificate root = parse(chains.at(1).at(1));
  const auto n = app::verify_embedded_scts(intermediate, root, ctlogs(kProduction));
  EXPECT_EQ(n.error().message, "the signing certificate carries no embedded SCTs");
  EXPECT_EQ(n.error().kind, ErrorKind::kVerify);
}
