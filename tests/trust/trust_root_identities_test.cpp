// The trust root's keyless signers and its embedded Sigstore trusted root
// (issue 16): read strictly, kept in the canonical "signed" part, and so
// changed only under the root-key thresholds like everything else in it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/spki.hpp"
#include "support/keyless_vectors.hpp"
#include "support/test_support.hpp"
#include "trust/trust_root.hpp"
#include "trust/trust_state.hpp"
#include "util/encoding.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::trust {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1795590000;  // 2026-11-25

// The conformance suite's GitHub Actions signer (tests/data/sigstore-keyless/cases.tsv).
constexpr const char* kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
constexpr const char* kGitHub = "https://token.actions.githubusercontent.com";
constexpr const char* kProductionRoot = "roots/production/trusted_root.json";

class TrustRootIdentitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      auto key = signer::make_key_signer(std::move(crypto::generate_key("ecdsa-p256").value()), "test");
      ids_.push_back(hex_encode(crypto::sha256(*crypto::spki_der(key->public_key()))));
      pems_.push_back(*crypto::public_key_pem(key->public_key()));
      keys_.push_back(std::move(key));
    }
  }

  static json beacon_identity() {
    return {{"owner", "conformance-ci"},   {"identity", kBeacon},
            {"issuer", kGitHub},           {"claims", {{"source-repository-ref", "refs/heads/main"}}},
            {"allowed_charts", {"web-*"}}, {"allowed_environments", {"production"}},
            {"status", "active"}};
  }

  // "signed" with root keys 0, 1, 2 (threshold 2) and `extra` fields.
  json signed_part(std::int64_t version, const json& extra = json::object()) const {
    json roots = json::array();
    for (std::size_t i = 0; i < keys_.size(); ++i)
      roots.push_back({{"key_id", ids_[i]}, {"algorithm", "ecdsa-p256"}, {"public_key", pems_[i]}});
    json s = {{"_type", "chartprov-trust-root"},
              {"version", version},
              {"expires", format_rfc3339(kNow + 86400)},
              {"root_threshold", 2},
              {"root_keys", roots},
              {"signing_keys", json::array()}};
    for (const auto& [k, v] : extra.items()) s[k] = v;
    return s;
  }
  std::string document(const json& s, const std::vector<int>& signers) const {
    const std::string canonical = s.dump();
    std::vector<Signature> sigs;
    for (const int i : signers) sigs.push_back(*sign_trust_root(canonical, *keys_[i]));
    return serialize_trust_root(canonical, sigs);
  }
  Result<TrustRoot> accept(const json& s) const { return accept_initial(document(s, {0, 1}), kNow); }

  std::vector<std::unique_ptr<signer::Signer>> keys_;
  std::vector<std::string> ids_, pems_;
};

TEST_F(TrustRootIdentitiesTest, ADocumentWithNeitherIsStillValid) {
  auto r = accept(signed_part(1));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->signing_identities.empty());
  EXPECT_EQ(r->sigstore_trusted_root, "");
}

TEST_F(TrustRootIdentitiesTest, IdentitiesAreReadWithTheirScopesWindowsAndStatus) {
  json regexp = {{"owner", "release-team"},
                 {"identity_regexp", "https://github\\.com/sigstore-conformance/.*"},
                 {"issuer_regexp", "https://token\\.actions\\.githubusercontent\\.com"},
                 {"claims_regexp", {{"build-trigger", "push|workflow_dispatch"}}},
                 {"allowed_charts", {"*"}},
                 {"allowed_environments", {"*"}},
                 {"not_before", "2026-01-01T00:00:00Z"},
                 {"not_after", "2027-01-01T00:00:00Z"},
                 {"status", "revoked"},
                 {"revoked_at", "2026-06-01T00:00:00Z"}};
  auto r = accept(signed_part(1, {{"signing_identities", {beacon_identity(), regexp}}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->signing_identities.size(), 2u);
  const SigningIdentity& exact = r->signing_identities[0];
  EXPECT_EQ(exact.owner, "conformance-ci");
  EXPECT_FALSE(exact.identity.subject.is_regexp());
  EXPECT_EQ(exact.identity.subject.text(), kBeacon);
  EXPECT_EQ(exact.identity.issuer.text(), kGitHub);
  ASSERT_EQ(exact.identity.claims.size(), 1u);
  EXPECT_EQ(exact.identity.claims[0].first, "source-repository-ref");
  EXPECT_EQ(exact.allowed_charts, std::vector<std::string>{"web-*"});
  EXPECT_TRUE(exact.counts_for("production"));
  EXPECT_FALSE(exact.counts_for("staging"));
  EXPECT_EQ(exact.not_before, 0);
  EXPECT_FALSE(exact.not_after.has_value());
  EXPECT_FALSE(exact.revoked);

  policy::SignerIdentity signer{kBeacon, kGitHub, {{"source-repository-ref", "refs/heads/main"}}};
  EXPECT_TRUE(exact.identity.matches(signer));
  signer.claims = {{"source-repository-ref", "refs/heads/evil"}};
  EXPECT_FALSE(exact.identity.matches(signer));

  const SigningIdentity& pattern = r->signing_identities[1];
  EXPECT_TRUE(pattern.identity.subject.is_regexp());
  EXPECT_TRUE(pattern.identity.issuer.is_regexp());
  EXPECT_TRUE(pattern.counts_for("staging"));
  EXPECT_EQ(pattern.not_before, *parse_rfc3339("2026-01-01T00:00:00Z"));
  EXPECT_EQ(pattern.not_after, *parse_rfc3339("2027-01-01T00:00:00Z"));
  EXPECT_TRUE(pattern.revoked);
  EXPECT_EQ(pattern.revoked_at, *parse_rfc3339("2026-06-01T00:00:00Z"));
  EXPECT_TRUE(pattern.identity.matches({kBeacon, kGitHub, {{"build-trigger", "push"}}}));
  EXPECT_FALSE(pattern.identity.matches({kBeacon, kGitHub, {{"build-trigger", "pull_request"}}}));
}

TEST_F(TrustRootIdentitiesTest, MalformedIdentitiesAreRefusedWithTheirReason) {
  const json good = beacon_identity();
  struct Case {
    std::string path;
    json value;  // null: the field removed
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {"/extra", 1, "signing identity #1: unknown field \"extra\""},
           {"/owner", nullptr, "signing identity #1: missing \"owner\""},
           {"/owner", "", "signing identity #1: \"owner\" is empty"},
           {"/identity", nullptr, "give one of \"identity\" and \"identity_regexp\""},
           {"/identity_regexp", ".*", "give one of \"identity\" and \"identity_regexp\""},
           {"/issuer", nullptr, "give one of \"issuer\" and \"issuer_regexp\""},
           {"/identity", "", "\"identity\": an identity value is empty"},
           {"/identity", 7, "\"identity\" must be a string"},
           {"/identity", std::string(1025, 'a'), "is longer than 1024 bytes"},
           {"/claims/repo", "x", "\"repo\" is not a Fulcio claim"},
           {"/claims/build-trigger", 1, "\"claims\": \"build-trigger\" must be a string"},
           {"/claims", json::object(), "\"claims\" must map Fulcio claim names to strings"},
           {"/claims_regexp", {{"build-trigger", "(push"}}, "does not compile"},
           {"/allowed_charts", {"[x"}, "allowed_charts"},
           {"/allowed_environments", "production", "\"allowed_environments\" must be a list of strings"},
           {"/not_after", "tomorrow", "\"not_after\""},
           {"/status", "maybe", "status must be active or revoked"},
           {"/status", "revoked", "a revoked identity needs revoked_at"},
       }) {
    json id = good;
    if (c.value.is_null()) {
      id.erase(c.path.substr(1));
    } else {
      id[json::json_pointer(c.path)] = c.value;
    }
    auto r = accept(signed_part(1, {{"signing_identities", {id}}}));
    ASSERT_FALSE(r.ok()) << c.path << " = " << c.value.dump();
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << c.path << ": " << r.error().message;
  }
  auto not_a_list = accept(signed_part(1, {{"signing_identities", good}}));
  ASSERT_FALSE(not_a_list.ok());
  EXPECT_NE(not_a_list.error().message.find("\"signing_identities\" must be a list"), std::string::npos);
}

TEST_F(TrustRootIdentitiesTest, OneSignerListedTwiceIsRefusedWhateverItsScope) {
  json again = beacon_identity();
  again["allowed_charts"] = {"*"};
  again["owner"] = "someone-else";
  auto r = accept(signed_part(1, {{"signing_identities", {beacon_identity(), again}}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signing identity #2 is listed twice");
  // Another claim makes it another signer.
  again["claims"]["source-repository-ref"] = "refs/heads/release";
  EXPECT_TRUE(accept(signed_part(1, {{"signing_identities", {beacon_identity(), again}}})).ok());
}

TEST_F(TrustRootIdentitiesTest, TheNumberOfIdentitiesIsBounded) {
  json many = json::array();
  for (std::size_t i = 0; i <= kMaxIdentities; ++i) {
    json id = beacon_identity();
    id["identity"] = "user" + std::to_string(i) + "@example.com";
    many.push_back(id);
  }
  auto r = accept(signed_part(1, {{"signing_identities", many}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signed: \"signing_identities\" must be a list of at most 1000");
  many.erase(many.size() - 1);
  EXPECT_TRUE(accept(signed_part(1, {{"signing_identities", many}})).ok());
}

TEST_F(TrustRootIdentitiesTest, TheEmbeddedTrustedRootIsKeptAsCanonicalText) {
  const json production = test::keyless_json(kProductionRoot);
  auto r = accept(signed_part(1, {{"sigstore_trusted_root", production}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->sigstore_trusted_root, production.dump());
  auto parsed = sigstore::parse_trusted_root(r->sigstore_trusted_root);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->tlogs.size(), production["tlogs"].size());
  EXPECT_EQ(parsed->timestamp_authorities.size(), production["timestampAuthorities"].size());
  // The file's own formatting does not matter: the same signed content, the same digest.
  const std::string doc = document(signed_part(1, {{"sigstore_trusted_root", production}}), {0, 1});
  auto reformatted = accept_initial(json::parse(doc).dump(3), kNow);
  ASSERT_TRUE(reformatted.ok()) << reformatted.error().message;
  EXPECT_EQ(root_digest(*reformatted), root_digest(*r));
  EXPECT_NE(root_digest(*r), root_digest(*accept(signed_part(1))));
}

TEST_F(TrustRootIdentitiesTest, AMalformedTrustedRootIsRefused) {
  json floats = test::keyless_json(kProductionRoot);
  floats["tlogs"][0]["publicKey"]["validFor"]["weight"] = 0.5;
  for (const auto& [value, message] : std::vector<std::pair<json, std::string>>{
           {"trusted_root.json", "\"sigstore_trusted_root\" must be a trusted_root.json object"},
           {json::object(), "\"sigstore_trusted_root\": "},
           // A real malformed root: a tlog whose validFor has no start.
           {test::keyless_json(
                "roots/sigstore-conformance/trust-root-tlog-missing-validity-start_fail/trusted_root.json"),
            "\"sigstore_trusted_root\": "},
           {floats, "numbers must be integers"},
       }) {
    auto r = accept(signed_part(1, {{"sigstore_trusted_root", value}}));
    ASSERT_FALSE(r.ok()) << value.dump().substr(0, 80);
    EXPECT_NE(r.error().message.find(message), std::string::npos) << r.error().message;
  }
}

// Issue 16: the keyless signers and the Sigstore root are under the same
// thresholds as the keys. An update that changes only them is refused with
// one root signature, and signatures over an honest version do not carry over.
TEST_F(TrustRootIdentitiesTest, AnUpdateOfOnlyTheIdentitiesOrTheSigstoreRootNeedsTheThresholds) {
  const TrustRoot v1 = std::move(accept(signed_part(1, {{"signing_identities", {beacon_identity()}}})).value());
  json wider = beacon_identity();
  wider["allowed_charts"] = {"*"};
  json added = beacon_identity();
  added["identity"] = "attacker@example.com";
  json swapped = beacon_identity();
  swapped["identity_regexp"] = ".*";
  swapped.erase("identity");
  const json production = test::keyless_json(kProductionRoot);
  for (const json& extra : std::vector<json>{
           {{"signing_identities", {wider}}},
           {{"signing_identities", {beacon_identity(), added}}},
           {{"signing_identities", {swapped}}},
           {{"signing_identities", {beacon_identity()}}, {"sigstore_trusted_root", production}},
       }) {
    const json v2 = signed_part(2, extra);
    auto one = accept_update(v1, document(v2, {0}), kNow);
    ASSERT_FALSE(one.ok()) << extra.dump().substr(0, 120);
    EXPECT_EQ(one.error().message, "signed by 1 of the trusted root keys; 2 are needed");
    auto two = accept_update(v1, document(v2, {0, 2}), kNow);
    ASSERT_TRUE(two.ok()) << two.error().message;
    EXPECT_EQ(two->version, 2);
  }
  // An honest v2 (a new Sigstore root), its signatures pasted onto one that also widens the identity.
  const json honest =
      signed_part(2, {{"signing_identities", {beacon_identity()}}, {"sigstore_trusted_root", production}});
  json evil = honest;
  evil["signing_identities"] = json::array({swapped});
  const json forged = {{"signed", evil}, {"signatures", json::parse(document(honest, {0, 1}))["signatures"]}};
  auto r = accept_update(v1, forged.dump(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signed by 0 of the trusted root keys; 2 are needed");
  // The same with the Sigstore root swapped for another real one.
  evil = honest;
  evil["sigstore_trusted_root"] = test::keyless_json("roots/staging/trusted_root.json");
  const json forged_root = {{"signed", evil}, {"signatures", json::parse(document(honest, {0, 1}))["signatures"]}};
  r = accept_update(v1, forged_root.dump(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "signed by 0 of the trusted root keys; 2 are needed");
}

}  // namespace
}  // namespace chartprov::trust
