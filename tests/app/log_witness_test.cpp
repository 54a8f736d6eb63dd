// The C2SP tlog-witness (issue 17): cosigns a checkpoint only after a
// consistency proof from the last one it cosigned, and answers every other
// request with the status C2SP fixes. The log here is a real HashTree with
// real Ed25519 checkpoints; cosignatures are checked with tlog::cosigned_at.
#include <gtest/gtest.h>

#include "app/log/witness.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "infra/openssl/spki.hpp"
#include "support/test_support.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/proofs.hpp"
#include "tlog/vkey.hpp"
#include "tlog/witness_request.hpp"
#include "util/file.hpp"

namespace chartprov::app::log {
namespace {

constexpr const char* kOrigin = "log.example.com";
constexpr const char* kWitness = "witness.example.com/w1";

using test::TempDir;

crypto::PKey ed25519() { return std::move(crypto::generate_key("ed25519").value()); }

crypto::PKey public_of(const crypto::PKey& key) {
  return std::move(crypto::parse_spki_der(crypto::spki_der(key).value()).value());
}

crypto::PKey private_copy(const crypto::PKey& key) {
  const SecretBytes der = crypto::private_key_info_der(key).value();
  return std::move(crypto::parse_private_key_info_der(der.bytes()).value());
}

const tlog::NoteKey& log_key() {
  static const tlog::NoteKey key = std::move(tlog::make_note_key(ed25519(), kOrigin).value());
  return key;
}

struct Log {
  tlog::HashTree tree;
  const tlog::NoteKey& key = log_key();
  void grow(std::uint64_t to) {
    while (tree.size() < to) {
      EXPECT_TRUE(tree.append(tlog::leaf_hash(to_bytes("leaf " + std::to_string(tree.size())))).ok());
    }
  }
  std::string note(std::uint64_t size) const {
    return tlog::sign_note(tlog::checkpoint_body(kOrigin, size, tree.root(size).value()).value(), key).value();
  }
  std::string request(std::uint64_t old_size, std::uint64_t size) const {
    tlog::AddCheckpoint r;
    r.old_size = old_size;
    r.proof = tlog::consistency_proof(tree.nodes(), old_size, size).value();
    r.checkpoint = note(size);
    return tlog::format_add_checkpoint(r).value();
  }
};

struct WitnessTest : ::testing::Test {
  TempDir dir;
  Log log;
  crypto::PKey witness_key = ed25519();

  std::unique_ptr<Witness> open() {
    WitnessConfig config;
    config.name = kWitness;
    config.key = private_copy(witness_key);
    config.logs.push_back({kOrigin, public_of(log.key.key)});
    config.state = dir.path() / "witness.json";
    auto w = Witness::open(std::move(config));
    EXPECT_TRUE(w.ok()) << w.error().message;
    return std::move(*w);
  }

  void expect_cosigned(const WitnessAnswer& a, std::uint64_t size) {
    ASSERT_EQ(a.status, 200) << a.body;
    auto cp = tlog::parse_checkpoint(log.note(size) + a.body);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    EXPECT_EQ(tlog::cosigned_at(*cp, kWitness, witness_key), std::optional<std::uint64_t>(1765000000));
  }
};

TEST_F(WitnessTest, CosignsAGrowingLogAndRemembersItAcrossRestarts) {
  log.grow(10);
  auto w = open();
  expect_cosigned(w->add_checkpoint(log.request(0, 10), 1765000000), 10);
  log.grow(300);
  expect_cosigned(w->add_checkpoint(log.request(10, 300), 1765000000), 300);
  expect_cosigned(w->add_checkpoint(log.request(300, 300), 1765000000), 300);
  w.reset();
  auto again = open();
  const WitnessAnswer stale = again->add_checkpoint(log.request(10, 300), 1765000000);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body, "300\n");
  EXPECT_EQ(stale.content_type, "text/x.tlog.size");
  log.grow(301);
  expect_cosigned(again->add_checkpoint(log.request(300, 301), 1765000000), 301);
}

TEST_F(WitnessTest, RefusesAForkedLog) {
  log.grow(20);
  auto w = open();
  expect_cosigned(w->add_checkpoint(log.request(0, 20), 1765000000), 20);
  // Another log under the same key and origin: same size, other root; then grown.
  Log fork;
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(fork.tree.append(tlog::leaf_hash(to_bytes("other " + std::to_string(i)))).ok());
  EXPECT_EQ(w->add_checkpoint(fork.request(20, 20), 1765000000).status, 409);
  fork.grow(40);
  EXPECT_EQ(w->add_checkpoint(fork.request(20, 40), 1765000000).status, 422);
  log.grow(40);
  expect_cosigned(w->add_checkpoint(log.request(20, 40), 1765000000), 40);
}

TEST_F(WitnessTest, AnswersEachBadRequestWithItsStatus) {
  log.grow(8);
  auto w = open();
  EXPECT_EQ(w->add_checkpoint("garbage", 1).status, 400);
  EXPECT_EQ(w->add_checkpoint("old 9\n\n" + log.note(8), 1).status, 400);
  const tlog::NoteKey stranger = std::move(tlog::make_note_key(ed25519(), kOrigin).value());
  const std::string forged =
      tlog::sign_note(tlog::checkpoint_body(kOrigin, 8, log.tree.root(8).value()).value(), stranger).value();
  EXPECT_EQ(w->add_checkpoint("old 0\n\n" + forged, 1).status, 403) << "same origin, another key";
  tlog::NoteKey other_origin = std::move(tlog::make_note_key(ed25519(), "other.example.com").value());
  const std::string other_note =
      tlog::sign_note(tlog::checkpoint_body("other.example.com", 8, log.tree.root(8).value()).value(), other_origin)
          .value();
  EXPECT_EQ(w->add_checkpoint("old 0\n\n" + other_note, 1).status, 404);
  EXPECT_EQ(w->add_checkpoint("old 3\n\n" + log.note(8), 1).status, 409);
  tlog::AddCheckpoint with_proof{0, {Bytes(32, 1)}, log.note(8)};
  EXPECT_EQ(w->add_checkpoint(tlog::format_add_checkpoint(with_proof).value(), 1).status, 422);
}

TEST_F(WitnessTest, RefusesACorruptStateAndPublishesItsVkey) {
  ASSERT_TRUE(chartprov::atomic_write(dir.path() / "witness.json", std::string_view("{\"version\":2}")).ok());
  const auto config = [&] {
    WitnessConfig c;
    c.name = kWitness;
    c.key = private_copy(witness_key);
    c.logs.push_back({kOrigin, public_of(log.key.key)});
    c.state = dir.path() / "witness.json";
    return c;
  };
  auto corrupt = Witness::open(config());
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find("not a witness state"), std::string::npos) << corrupt.error().message;
  ASSERT_TRUE(std::filesystem::remove(dir.path() / "witness.json"));
  auto w = Witness::open(config());
  ASSERT_TRUE(w.ok());
  auto vkey = tlog::parse_vkey((*w)->vkey());
  ASSERT_TRUE(vkey.ok()) << (*w)->vkey();
  EXPECT_EQ(vkey->type, tlog::kCosignatureKeyType);
  EXPECT_EQ(vkey->name, kWitness);
}

}  // namespace
}  // namespace chartprov::app::log
