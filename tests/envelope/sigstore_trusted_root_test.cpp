// Sigstore trusted roots over the real roots of the keyless vectors
// (tests/data/sigstore-keyless/roots): certificate authorities, CT logs,
// Rekor v1 and v2 logs, and one mutation per refusal.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/digest.hpp"
#include "support/keyless_cases.hpp"
#include "util/encoding.hpp"

namespace chartprov {
namespace {

using nlohmann::json;

json root_json(const std::string& rel) { return json::parse(test::read_text(test::KeylessCase::path(rel))); }

Result<sigstore::TrustedRoot> parse(const json& doc) { return sigstore::parse_trusted_root(doc.dump()); }

Bytes b64(const json& v) { return base64_decode(v.get<std::string>()).value(); }

TEST(TrustedRoot, EveryRootOfTheVectorsParsesButTheOneWithoutAStart) {
  std::set<std::string> roots;
  for (const auto& c : test::keyless_cases()) roots.insert(c.trusted_root);
  ASSERT_GE(roots.size(), 30u);
  for (const auto& rel : roots) {
    auto root = sigstore::parse_trusted_root(test::read_text(test::KeylessCase::path(rel)));
    if (rel.find("trust-root-tlog-missing-validity-start_fail") != std::string::npos) {
      ASSERT_FALSE(root.ok()) << rel;
      EXPECT_EQ(root.error().message, "tlogs https://log2025-alpha1.rekor.sigstage.dev: missing \"start\"");
      continue;
    }
    ASSERT_TRUE(root.ok()) << rel << ": " << root.error().message;
    EXPECT_FALSE(root->tlogs.empty()) << rel;
    EXPECT_FALSE(root->certificate_authorities.empty()) << rel;
  }
}

TEST(TrustedRoot, CertificateAuthoritiesKeepTheirChainsInOrder) {
  const json doc = root_json("roots/production/trusted_root.json");
  auto root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->certificate_authorities.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& ca = root->certificate_authorities[i];
    const auto& certs = doc["certificateAuthorities"][i]["certChain"]["certificates"];
    EXPECT_EQ(ca.uri, "https://fulcio.sigstore.dev");
    ASSERT_EQ(ca.chain.size(), certs.size());
    for (std::size_t j = 0; j < certs.size(); ++j) EXPECT_EQ(ca.chain[j], b64(certs[j]["rawBytes"]));
  }
  EXPECT_EQ(root->certificate_authorities[0].chain.size(), 1u);
  EXPECT_EQ(root->certificate_authorities[1].chain.size(), 2u);  // intermediate, then the root
  EXPECT_EQ(root->certificate_authorities[0].valid.start, 1615087229);
  EXPECT_EQ(root->certificate_authorities[0].valid.end, 1672531199);  // 23:59:59.999Z, the fraction dropped
  EXPECT_FALSE(root->certificate_authorities[1].valid.end.has_value());
}

TEST(TrustedRoot, CtLogIdsAreTheSha256OfTheirSpkiEvenForAPkcs1Key) {
  const json doc = root_json("roots/staging/trusted_root.json");
  auto root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->ctlogs.size(), 4u);
  EXPECT_EQ(root->ctlogs[0].key_details, "PKCS1_RSA_PKCS1V5");
  EXPECT_EQ(crypto::key_type(root->ctlogs[0].key), crypto::KeyType::kRsa);
  EXPECT_NE(root->ctlogs[0].spki, b64(doc["ctlogs"][0]["publicKey"]["rawBytes"]));  // wrapped in an SPKI
  for (const auto& ct : root->ctlogs) {
    EXPECT_EQ(crypto::sha256(ct.spki), ct.log_id) << ct.base_url;  // RFC 6962 3.2
    EXPECT_EQ(root->find_ct_log(ct.log_id), &ct);
    EXPECT_EQ(root->find_log(ct.log_id), nullptr) << "a CT log is no Rekor log";
  }
  EXPECT_EQ(root->ctlogs[3].origin, "log2026-1.ctfe.sigstage.dev");
}

TEST(TrustedRoot, RekorV2LogsAreNamedByTheirHostAndIdentifiedByTheirC2spKeyId) {
  auto root = parse(root_json("roots/staging/trusted_root.json"));
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->tlogs.size(), 4u);
  const auto& v1 = root->tlogs[0];
  EXPECT_EQ(v1.origin, "rekor.sigstage.dev");
  EXPECT_EQ(crypto::sha256(v1.spki), v1.log_id);
  int v2_logs = 0;
  for (const auto& log : root->tlogs) {
    if (log.key_details != "PKIX_ED25519") continue;
    ++v2_logs;
    EXPECT_EQ("https://" + log.origin, log.base_url);
    // logId.keyId = SHA-256(origin || 0x0A || 0x01 || raw key): the C2SP signed-note key id.
    Bytes id_input(log.origin.begin(), log.origin.end());
    id_input.push_back(0x0a);
    id_input.push_back(0x01);
    const Bytes raw = crypto::raw_public_bytes(log.key).value();
    id_input.insert(id_input.end(), raw.begin(), raw.end());
    EXPECT_EQ(crypto::sha256(id_input), log.log_id) << log.base_url;
    EXPECT_EQ(root->find_log(log.log_id), &log);
  }
  EXPECT_EQ(v2_logs, 3);
  EXPECT_EQ(root->tlogs[1].valid.start, 1744761600);
  EXPECT_EQ(root->tlogs[1].valid.end, 1756944000);
}

TEST(TrustedRoot, APortAndAPathAreNoPartOfTheOrigin) {
  json doc = root_json("roots/sigstore-conformance/intoto-with-custom-trust-root/trusted_root.json");
  auto root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->tlogs[0].base_url, "http://localhost:8000");
  EXPECT_EQ(root->tlogs[0].origin, "localhost");
  doc["tlogs"][0]["baseUrl"] = "Log.Example/path";  // protobuf-specs allows a scheme-less baseUrl
  root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->tlogs[0].origin, "log.example");
  doc["tlogs"][0].erase("baseUrl");
  root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->tlogs[0].origin, "");
}

TEST(TrustedRoot, CheckpointKeyIdsAndOperatorsAreRead) {
  json doc = root_json("roots/staging/trusted_root.json");
  doc["mediaType"] = "application/vnd.dev.sigstore.trustedroot.v0.2+json";
  doc["tlogs"][1]["checkpointKeyId"] = {{"keyId", "8w1amQ=="}};
  doc["tlogs"][1]["operator"] = "sigstore.dev";
  auto root = parse(doc);
  ASSERT_TRUE(root.ok()) << root.error().message;
  EXPECT_EQ(root->tlogs[1].checkpoint_key_id, (Bytes{0xf3, 0x0d, 0x5a, 0x99}));
  EXPECT_TRUE(root->tlogs[0].checkpoint_key_id.empty());
}

// One malformed field at a time, each refusing the whole root with its own message.
TEST(TrustedRoot, MalformedEntriesRefuseTheRoot) {
  const json good = root_json("roots/staging/trusted_root.json");
  ASSERT_TRUE(parse(good).ok());
  const auto refused = [&](const std::function<void(json&)>& mutate, const std::string& message) {
    json doc = good;
    mutate(doc);
    auto root = parse(doc);
    ASSERT_FALSE(root.ok()) << message;
    EXPECT_EQ(root.error().message, message);
  };
  const std::string tlog = "tlogs https://log2025-alpha1.rekor.sigstage.dev: ";
  const std::string ct = "ctlogs https://ctfe.sigstage.dev/test: ";
  const std::string ca = "certificateAuthorities https://fulcio.sigstage.dev: ";
  refused([](json& d) { d["tlogs"][1]["publicKey"]["validFor"].erase("start"); }, tlog + "missing \"start\"");
  refused([](json& d) { d["tlogs"][1]["publicKey"].erase("validFor"); }, tlog + "validFor is missing");
  refused([](json& d) { d["tlogs"][1]["publicKey"]["validFor"]["end"] = "2025-04-15T00:00:00Z"; },
          tlog + "validFor ends before it starts");
  refused([](json& d) { d["tlogs"][1]["publicKey"]["keyDetails"] = "PKIX_ECDSA_P256_SHA_256"; },
          tlog + "the key is not what keyDetails PKIX_ECDSA_P256_SHA_256 says");
  refused([](json& d) { d["tlogs"][1]["publicKey"].erase("keyDetails"); }, tlog + "unsupported keyDetails \"\"");
  refused([](json& d) { d["tlogs"][1]["publicKey"]["keyDetails"] = "PKIX_RSA_PSS_2048_SHA256"; },
          tlog + "unsupported keyDetails \"PKIX_RSA_PSS_2048_SHA256\"");
  refused([](json& d) { d["tlogs"][1]["hashAlgorithm"] = "SHA2_384"; }, tlog + "hashAlgorithm must be SHA2_256");
  refused([](json& d) { d["tlogs"][1].erase("logId"); }, tlog + "no logId");
  refused([](json& d) { d["tlogs"][1]["baseUrl"] = "ftp://x"; },
          "tlogs ftp://x: baseUrl \"ftp://x\" is not an http(s) URL or a host");
  refused([](json& d) { d["ctlogs"][0]["publicKey"]["keyDetails"] = "PKIX_RSA_PKCS1V15_4096_SHA256"; },
          ct + "the key does not parse as keyDetails PKIX_RSA_PKCS1V15_4096_SHA256 says");
  refused(
      [](json& d) {
        Bytes raw = b64(d["ctlogs"][0]["publicKey"]["rawBytes"]);
        raw.push_back(0);
        d["ctlogs"][0]["publicKey"]["rawBytes"] = base64_encode(raw);
      },
      ct + "the key does not parse as keyDetails PKCS1_RSA_PKCS1V5 says");
  refused([](json& d) { d["ctlogs"][0]["publicKey"]["validFor"].erase("start"); }, ct + "missing \"start\"");
  refused([](json& d) { d["certificateAuthorities"][0]["certChain"]["certificates"] = json::array(); },
          ca + "empty certChain");
  refused([](json& d) { d["certificateAuthorities"][0].erase("certChain"); }, ca + "no certChain");
  refused([](json& d) { d["certificateAuthorities"][0]["validFor"].erase("start"); }, ca + "missing \"start\"");
  refused([](json& d) { d["certificateAuthorities"][0].erase("validFor"); }, ca + "validFor is missing");
  refused([](json& d) { d["certificateAuthorities"][0]["certChain"]["certificates"][0] = json::object(); },
          ca + "missing \"rawBytes\"");
  refused([](json& d) { d["certificateAuthorities"][0]["extra"] = 1; }, ca + "unknown field \"extra\"");
  refused([](json& d) { d["certificateAuthorities"] = json::object(); }, "certificateAuthorities must be a list");
  refused([](json& d) { d["timestampAuthorities"][0]["validFor"].erase("start"); },
          "timestampAuthorities https://timestamp.sigstage.dev/api/v1/timestamp: missing \"start\"");
}

}  // namespace
}  // namespace chartprov
