// Transparency-log primitives: Merkle inclusion proofs against a reference
// tree built here (RFC 9162 2.1.1 MTH and 2.1.3.1 PATH), known answers, and
// the real Rekor entry of the sigstore-conformance bundle (checkpoint, SET,
// body) with one mutation per field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "support/test_support.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/rekor_entry.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

using Leaves = std::vector<Bytes>;

std::uint64_t split(std::uint64_t n) {  // largest power of two < n
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Bytes mth(const Leaves& d, std::uint64_t lo, std::uint64_t hi) {
  if (hi - lo == 1) return tlog::leaf_hash(d[lo]);
  const std::uint64_t k = split(hi - lo);
  return tlog::node_hash(mth(d, lo, lo + k), mth(d, lo + k, hi));
}

void path(const Leaves& d, std::uint64_t m, std::uint64_t lo, std::uint64_t hi, std::vector<Bytes>& out) {
  if (hi - lo == 1) return;
  const std::uint64_t k = split(hi - lo);
  if (m < k) {
    path(d, m, lo, lo + k, out);
    out.push_back(mth(d, lo + k, hi));
  } else {
    path(d, m - k, lo + k, hi, out);
    out.push_back(mth(d, lo, lo + k));
  }
}

Leaves leaves(std::uint64_t n) {
  Leaves d;
  for (std::uint64_t i = 0; i < n; ++i) d.push_back(Bytes{static_cast<std::uint8_t>(i), 0x42});
  return d;
}

TEST(Merkle, KnownAnswers) {
  // RFC 6962 test vectors: the empty leaf and the 0x00 / 0x01 prefixes.
  EXPECT_EQ(hex_encode(tlog::leaf_hash({})), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const Bytes a = tlog::leaf_hash(Bytes{'a'}), b = tlog::leaf_hash(Bytes{'b'});
  Bytes cat{0x01};
  cat.insert(cat.end(), a.begin(), a.end());
  cat.insert(cat.end(), b.begin(), b.end());
  EXPECT_EQ(tlog::node_hash(a, b), crypto::sha256(cat));
  EXPECT_NE(tlog::node_hash(a, b), tlog::node_hash(b, a));
}

TEST(Merkle, EveryLeafOfEveryTreeUpTo33) {
  for (std::uint64_t n = 1; n <= 33; ++n) {
    const Leaves d = leaves(n);
    const Bytes root = mth(d, 0, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      std::vector<Bytes> proof;
      path(d, i, 0, n, proof);
      const Bytes leaf = tlog::leaf_hash(d[i]);
      ASSERT_TRUE(tlog::verify_inclusion(i, n, leaf, proof, root)) << n << "/" << i;
      // Each mutation must fail: index, leaf, a proof hash, proof length, root.
      if (n > 1) {
        EXPECT_FALSE(tlog::verify_inclusion((i + 1) % n, n, leaf, proof, root)) << n << "/" << i;
      }
      EXPECT_FALSE(tlog::verify_inclusion(i, n, tlog::leaf_hash(Bytes{0xff}), proof, root));
      EXPECT_FALSE(tlog::verify_inclusion(n, n, leaf, proof, root));
      Bytes bad_root = root;
      bad_root[0] ^= 1;
      EXPECT_FALSE(tlog::verify_inclusion(i, n, leaf, proof, bad_root));
      if (!proof.empty()) {
        auto bad = proof;
        bad.back()[31] ^= 0x80;
        EXPECT_FALSE(tlog::verify_inclusion(i, n, leaf, bad, root));
        bad = proof;
        bad.pop_back();
        EXPECT_FALSE(tlog::verify_inclusion(i, n, leaf, bad, root));
        bad = proof;
        bad.front().pop_back();  // a 31-byte hash
        EXPECT_FALSE(tlog::verify_inclusion(i, n, leaf, bad, root));
      }
      auto longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(tlog::verify_inclusion(i, n, leaf, longer, root));
    }
  }
  EXPECT_FALSE(tlog::verify_inclusion(0, 0, tlog::leaf_hash({}), {}, tlog::leaf_hash({})));
}

struct RekorFixture : ::testing::Test {
  nlohmann::json entry;
  std::optional<sigstore::TrustedRoot> root;
  void SetUp() override {
    auto text = read_text_file(
        test::data("cosign/upstream/sigstore-conformance/managed-key-happy-path/bundle.sigstore.json"), 1u << 20);
    ASSERT_TRUE(text.ok());
    entry = nlohmann::json::parse(*text)["verificationMaterial"]["tlogEntries"][0];
    auto r_text = read_text_file(test::data("cosign/upstream/sigstore-js/trusted_root.json"), 1u << 22);
    ASSERT_TRUE(r_text.ok());
    auto r = sigstore::parse_trusted_root(*r_text);
    ASSERT_TRUE(r.ok()) << r.error().message;
    root = std::move(*r);
  }
  Bytes b64(const char* a, const char* b = nullptr) const {
    const auto& v = b ? entry[a][b] : entry[a];
    return base64_decode(v.get<std::string>()).value();
  }
  const sigstore::TransparencyLog& log() const {
    const auto* l = root->find_log(base64_decode(entry["logId"]["keyId"].get<std::string>()).value());
    EXPECT_NE(l, nullptr);
    return *l;
  }
};

TEST_F(RekorFixture, InclusionProofOfTheRealEntry) {
  const auto& p = entry["inclusionProof"];
  std::vector<Bytes> hashes;
  for (const auto& h : p["hashes"]) hashes.push_back(base64_decode(h.get<std::string>()).value());
  const auto idx = std::stoull(p["logIndex"].get<std::string>());
  const auto size = std::stoull(p["treeSize"].get<std::string>());
  const Bytes root_hash = base64_decode(p["rootHash"].get<std::string>()).value();
  const Bytes leaf = tlog::leaf_hash(b64("canonicalizedBody"));
  EXPECT_TRUE(tlog::verify_inclusion(idx, size, leaf, hashes, root_hash));
  EXPECT_FALSE(tlog::verify_inclusion(idx + 1, size, leaf, hashes, root_hash));
  hashes[3][0] ^= 1;
  EXPECT_FALSE(tlog::verify_inclusion(idx, size, leaf, hashes, root_hash));
}

TEST_F(RekorFixture, CheckpointParsesAndVerifiesWithTheLogKeyOnly) {
  const std::string env = entry["inclusionProof"]["checkpoint"]["envelope"].get<std::string>();
  auto cp = tlog::parse_checkpoint(env);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  EXPECT_EQ(cp->origin, "rekor.sigstore.dev - 1193050959916656506");
  EXPECT_EQ(cp->size, 649584076u);
  EXPECT_EQ(cp->root_hash, base64_decode(entry["inclusionProof"]["rootHash"].get<std::string>()).value());
  ASSERT_EQ(cp->signatures.size(), 1u);
  EXPECT_EQ(cp->signatures[0].key_hint, Bytes(log().log_id.begin(), log().log_id.begin() + 4));
  EXPECT_TRUE(tlog::checkpoint_signed_by(*cp, log().key));
  auto other = crypto::generate_key("ecdsa-p256");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(tlog::checkpoint_signed_by(*cp, *other));
  // The signature covers the body, final newline included.
  std::string changed = env;
  changed[env.find("649584076")] = '7';
  auto cp2 = tlog::parse_checkpoint(changed);
  ASSERT_TRUE(cp2.ok());
  EXPECT_FALSE(tlog::checkpoint_signed_by(*cp2, log().key));
  for (const std::string& bad :
       {std::string(""), env.substr(0, env.find("\n\n")), "x\n1\nnot-base64!\n\n" + env.substr(env.find("\u2014")),
        "o\n-1\n" + env.substr(env.find('\n', env.find('\n') + 1) + 1)}) {
    EXPECT_FALSE(tlog::parse_checkpoint(bad).ok()) << bad;
  }
}

TEST_F(RekorFixture, SignedEntryTimestamp) {
  const Bytes body = b64("canonicalizedBody");
  const Bytes set = b64("inclusionPromise", "signedEntryTimestamp");
  const auto t = std::stoll(entry["integratedTime"].get<std::string>());
  const auto i = std::stoll(entry["logIndex"].get<std::string>());
  EXPECT_TRUE(tlog::verify_signed_entry_timestamp(log().key, body, t, log().log_id, i, set));
  EXPECT_FALSE(tlog::verify_signed_entry_timestamp(log().key, body, t + 1, log().log_id, i, set));
  EXPECT_FALSE(tlog::verify_signed_entry_timestamp(log().key, body, t, log().log_id, i - 1, set));
  Bytes other_id = log().log_id;
  other_id[0] ^= 1;
  EXPECT_FALSE(tlog::verify_signed_entry_timestamp(log().key, body, t, other_id, i, set));
  Bytes other_body = body;
  other_body.push_back(' ');
  EXPECT_FALSE(tlog::verify_signed_entry_timestamp(log().key, other_body, t, log().log_id, i, set));
  Bytes bad_set = set;
  bad_set[bad_set.size() - 1] ^= 1;
  EXPECT_FALSE(tlog::verify_signed_entry_timestamp(log().key, body, t, log().log_id, i, bad_set));
}

TEST_F(RekorFixture, HashedRekordBodyMustDescribeThisSignatureAndKey) {
  const Bytes body = b64("canonicalizedBody");
  auto doc = nlohmann::json::parse(std::string(body.begin(), body.end()));
  const auto& spec = doc["spec"];
  tlog::ExpectedEntry e;
  e.signature = base64_decode(spec["signature"]["content"].get<std::string>()).value();
  e.sha256_hex = spec["data"]["hash"]["value"].get<std::string>();
  EXPECT_EQ(tlog::check_entry_body(body, "hashedrekord", "0.0.1", e).error().message,
            "nothing to compare the log entry's key with");
  const auto key = crypto::parse_public_key_pem(
      test::read_text(test::data("cosign/upstream/sigstore-conformance/managed-key-happy-path/key.pub")));
  ASSERT_TRUE(key.ok());
  e.spki = crypto::spki_der(*key).value();
  EXPECT_TRUE(tlog::check_entry_body(body, "hashedrekord", "0.0.1", e).ok());
  auto as_certificate = e;
  as_certificate.certificate_der = e.spki;
  EXPECT_EQ(tlog::check_entry_body(body, "hashedrekord", "0.0.1", as_certificate).error().message,
            "the log entry names a public key, not the bundle's certificate");
  EXPECT_FALSE(tlog::check_entry_body(body, "hashedrekord", "0.0.2", e).ok());
  EXPECT_FALSE(tlog::check_entry_body(body, "rekord", "0.0.1", e).ok());
  auto wrong_digest = e;
  wrong_digest.sha256_hex = std::string(64, '0');
  EXPECT_FALSE(tlog::check_entry_body(body, "hashedrekord", "0.0.1", wrong_digest).ok());
  auto wrong_sig = e;
  wrong_sig.signature.back() ^= 1;
  EXPECT_FALSE(tlog::check_entry_body(body, "hashedrekord", "0.0.1", wrong_sig).ok());
  auto other = crypto::generate_key("ecdsa-p256");
  ASSERT_TRUE(other.ok());
  auto wrong_key = e;
  wrong_key.spki = crypto::spki_der(*other).value();
  EXPECT_FALSE(tlog::check_entry_body(body, "hashedrekord", "0.0.1", wrong_key).ok());
  EXPECT_FALSE(tlog::check_entry_body(Bytes{'{', '}'}, "hashedrekord", "0.0.1", e).ok());
}

}  // namespace
}  // namespace chartprov

namespace chartprov {
namespace {

// A C2SP note signed with Ed25519: key id = SHA-256(name || 0x0A || 0x01 || key)[:4].
TEST(Checkpoint, Ed25519SignedNote) {
  auto key = crypto::generate_key("ed25519");
  ASSERT_TRUE(key.ok());
  const std::string name = "log.example";
  const std::string body = "log.example\n7\n" + base64_encode(Bytes(32, 0x11)) + "\n";
  const Bytes pub = crypto::raw_public_bytes(*key).value();
  Bytes id_input(name.begin(), name.end());
  id_input.push_back(0x0a);
  id_input.push_back(0x01);
  id_input.insert(id_input.end(), pub.begin(), pub.end());
  Bytes sig = crypto::sha256(id_input);
  sig.resize(4);
  const Bytes raw = crypto::sign_eddsa(*key, as_bytes(body)).value();
  sig.insert(sig.end(), raw.begin(), raw.end());
  const std::string note = body + "\n\u2014 " + name + " " + base64_encode(sig) + "\n";
  auto cp = tlog::parse_checkpoint(note);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  EXPECT_EQ(cp->size, 7u);
  EXPECT_EQ(cp->body, body);
  EXPECT_TRUE(tlog::checkpoint_signed_by(*cp, *key));
  auto other = crypto::generate_key("ed25519");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(tlog::checkpoint_signed_by(*cp, *other));
  std::string renamed = note;
  renamed.replace(renamed.rfind(name), name.size(), "log.other");  // another name, another key id
  auto cp2 = tlog::parse_checkpoint(renamed);
  ASSERT_TRUE(cp2.ok());
  EXPECT_FALSE(tlog::checkpoint_signed_by(*cp2, *key));
}

}  // namespace
}  // namespace chartprov
