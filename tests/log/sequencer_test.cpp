// The log's sequencer on a real SQLite store (logstore/): batches from many threads, proofs
// that verify against signed checkpoints, dedupe, restart, a store that does not hold the tree
// it signed, a failing transaction that acknowledges nothing, two sequencers on one file.
#include "app/log/sequencer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/pkey.hpp"
#include "logstore/open_log_store.hpp"
#include "support/test_support.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"

namespace chartprov::app::log {
namespace {

constexpr std::int64_t kClock = 1765000000;
constexpr const char* kOrigin = "log.test.invalid";

// A well-formed hashedrekord entry (the sequencer does not check signatures: submission.hpp does).
Submission submission(int n) {
  Submission s;
  s.entry.kind = tlog::EntryKind::hashedrekord;
  s.entry.event = {"chart-" + std::to_string(n), "1.0.0", "sigstore-bundle", 0};
  s.entry.digest = crypto::sha256(as_bytes(std::to_string(n)));
  s.entry.signature = Bytes{1, 2, 3};
  s.entry.public_key = Bytes{4, 5, 6};
  s.entry.key_details = "PKIX_ECDSA_P256_SHA_256";
  auto key = dedupe_key(s.entry);
  EXPECT_TRUE(key.ok());
  s.dedupe = *key;
  return s;
}

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::generate_key("ed25519");
    ASSERT_TRUE(key.ok());
    log_key_ = std::move(*key);
    auto file = crypto::write_private_key_file(log_key_, {}, nullptr);
    ASSERT_TRUE(file.ok());
    key_file_ = file->bytes();
    db_ = "sqlite:" + (dir_ / "log.db").string();
    store_ = open();
  }

  std::unique_ptr<LogStore> open() {
    auto s = logstore::open_log_store(db_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }

  tlog::NoteKey key(const std::string& origin = kOrigin) {
    // The same key again (make_note_key takes its key by value), read from its key file's bytes.
    auto copy = crypto::parse_private_key_file(key_file_, nullptr, "the log key");
    EXPECT_TRUE(copy.ok());
    auto k = tlog::make_note_key(std::move(copy->key), origin);
    EXPECT_TRUE(k.ok()) << k.error().message;
    return std::move(*k);
  }

  Result<std::unique_ptr<Sequencer>> start(LogStore& store, std::size_t batch = 16,
                                           const std::string& origin = kOrigin) {
    SequencerConfig c;
    c.batch_size = batch;
    c.batch_wait = std::chrono::milliseconds(2);
    c.clock = [] { return kClock; };
    return Sequencer::start(store, key(origin), c);
  }

  // The acknowledgement holds up: a checkpoint of its tree signed by the log, a proof of its leaf.
  void expect_verifies(const Acknowledgement& a) {
    auto cp = tlog::parse_checkpoint(a.checkpoint);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    EXPECT_TRUE(tlog::checkpoint_signed_by(*cp, log_key_, kOrigin));
    EXPECT_EQ(cp->origin, kOrigin);
    EXPECT_EQ(cp->size, a.tree_size);
    EXPECT_EQ(cp->root_hash, a.root);
    EXPECT_TRUE(tlog::verify_inclusion(a.index, a.tree_size, tlog::leaf_hash(a.leaf), a.proof, a.root));
  }

  test::TempDir dir_;
  crypto::PKey log_key_;
  Bytes key_file_;
  std::string db_;
  std::unique_ptr<LogStore> store_;
};

TEST_F(SequencerTest, AnEmptyLogGetsASignedCheckpointOfTheEmptyTree) {
  auto seq = start(*store_);
  ASSERT_TRUE(seq.ok()) << seq.error().message;
  const Published pub = (*seq)->published();
  EXPECT_EQ(pub.size, 0u);
  EXPECT_EQ(pub.root, crypto::sha256(ByteView{}));
  auto cp = tlog::parse_checkpoint(pub.checkpoint);
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(tlog::checkpoint_signed_by(*cp, log_key_, kOrigin));
  auto head = store_->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->checkpoint, pub.checkpoint);
}

TEST_F(SequencerTest, ConcurrentSubmissionsAreBatchedAndEachAcknowledgementVerifies) {
  auto seq = start(*store_, 16);
  ASSERT_TRUE(seq.ok()) << seq.error().message;
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<Acknowledgement>> acks(kThreads);
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto a = (*seq)->submit(submission(t * kEach + i));
        if (!a)
          ++failures;
        else
          acks[t].push_back(std::move(*a));
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<std::uint64_t> indexes;
  for (const auto& list : acks) {
    for (const auto& a : list) {
      EXPECT_FALSE(a.existed);
      EXPECT_TRUE(indexes.insert(a.index).second) << "index " << a.index << " given twice";
      expect_verifies(a);
      EXPECT_NE(std::string(as_chars(a.leaf)).find("\"time\":1765000000"), std::string::npos);
    }
  }
  ASSERT_EQ(indexes.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*indexes.rbegin(), static_cast<std::uint64_t>(kThreads * kEach - 1));
  const Published pub = (*seq)->published();
  EXPECT_EQ(pub.size, static_cast<std::uint64_t>(kThreads * kEach));
  // The leaves the store holds are the ones acknowledged, at their indexes.
  for (const auto& list : acks) {
    for (const auto& a : list) {
      auto leaves = store_->leaves(a.index, a.index + 1);
      ASSERT_TRUE(leaves.ok());
      EXPECT_EQ(leaves->front(), a.leaf);
    }
  }
}

TEST_F(SequencerTest, AResubmissionIsAnsweredWithTheEntryAlreadyLogged) {
  auto seq = start(*store_);
  ASSERT_TRUE(seq.ok());
  auto first = (*seq)->submit(submission(1));
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE((*seq)->submit(submission(2)).ok());
  auto again = (*seq)->submit(submission(1));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->index, first->index);
  EXPECT_EQ(again->leaf, first->leaf);
  EXPECT_EQ(again->tree_size, 2u);
  expect_verifies(*again);
  // The same content twice in one batch: one entry.
  std::vector<std::thread> threads;
  std::vector<Result<Acknowledgement>> answers(4, internal_error("unset"));
  for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { answers[i] = (*seq)->submit(submission(7)); });
  for (auto& th : threads) th.join();
  for (const auto& a : answers) {
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->index, 2u);
  }
  EXPECT_EQ((*seq)->published().size, 3u);
}

TEST_F(SequencerTest, ARestartRebuildsTheTreeFromTheStore) {
  Published before;
  {
    auto seq = start(*store_);
    ASSERT_TRUE(seq.ok());
    for (int i = 0; i < 40; ++i) ASSERT_TRUE((*seq)->submit(submission(i)).ok());
    before = (*seq)->published();
  }
  store_ = open();
  auto seq = start(*store_);
  ASSERT_TRUE(seq.ok()) << seq.error().message;
  const Published after = (*seq)->published();
  EXPECT_EQ(after.size, 40u);
  EXPECT_EQ(after.root, before.root);
  EXPECT_EQ(after.checkpoint, before.checkpoint);
  auto next = (*seq)->submit(submission(40));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->index, 40u);
  expect_verifies(*next);
  auto tile = (*seq)->hash_tile(tlog::TileId{false, 0, 0, 41});
  ASSERT_TRUE(tile.ok()) << tile.error().message;
  EXPECT_EQ(tile->size(), 41u * 32);
  EXPECT_FALSE((*seq)->hash_tile(tlog::TileId{false, 0, 0, 42}).ok());
  EXPECT_FALSE((*seq)->hash_tile(tlog::TileId{false, 0, 0, 256}).ok());
}

TEST_F(SequencerTest, AStoreThatDoesNotHoldTheTreeItSignedIsRefused) {
  {
    auto seq = start(*store_);
    ASSERT_TRUE(seq.ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE((*seq)->submit(submission(i)).ok());
  }
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "log.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE entries SET leaf_hash = zeroblob(32) WHERE idx = 3", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  store_ = open();
  auto seq = start(*store_);
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.error().message,
            "log: the stored checkpoint's root is not the root of the 5 stored entries: the database does not hold "
            "the tree it signed");
}

TEST_F(SequencerTest, AnotherOriginIsRefused) {
  { ASSERT_TRUE(start(*store_).ok()); }
  auto seq = start(*store_, 16, "other.test.invalid");
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.error().message,
            "log: the stored checkpoint is of origin log.test.invalid, not other.test.invalid: the log was started "
            "under another --origin");
}

TEST_F(SequencerTest, AnotherKeyUnderTheSameOriginIsRefused) {
  { ASSERT_TRUE(start(*store_).ok()); }
  auto other = tlog::make_note_key(std::move(crypto::generate_key("ed25519").value()), kOrigin);
  ASSERT_TRUE(other.ok());
  SequencerConfig c;
  c.clock = [] { return kClock; };
  auto seq = Sequencer::start(*store_, std::move(*other), c);
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.error().message,
            "log: the stored checkpoint is not signed by this log key: a log keeps its key for life; a new key is a "
            "new log (another --origin and database)");
}

// The real store, whose transactions fail to commit while `fail` is set.
class FailingStore : public LogStore {
 public:
  explicit FailingStore(LogStore& real) : real_(real) {}
  std::atomic<bool> fail = false;

  Result<std::unique_ptr<SequencingTxn>> begin_sequencing() override {
    TRY(auto txn, real_.begin_sequencing());
    return std::unique_ptr<SequencingTxn>(std::make_unique<Txn>(std::move(txn), fail));
  }
  Result<std::optional<Head>> head() override { return real_.head(); }
  Result<std::vector<Bytes>> leaves(std::uint64_t from, std::uint64_t to) override { return real_.leaves(from, to); }
  Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) override {
    return real_.leaf_hashes(from, to);
  }

 private:
  class Txn : public SequencingTxn {
   public:
    Txn(std::unique_ptr<SequencingTxn> real, std::atomic<bool>& fail) : real_(std::move(real)), fail_(fail) {}
    Result<std::uint64_t> size() override { return real_->size(); }
    Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) override {
      return real_->leaf_hashes(from, to);
    }
    Result<std::vector<std::optional<std::uint64_t>>> find(const std::vector<Bytes>& keys) override {
      return real_->find(keys);
    }
    Status insert(std::uint64_t first, const std::vector<NewLeaf>& leaves) override {
      return real_->insert(first, leaves);
    }
    Status set_checkpoint(std::uint64_t size, std::string_view checkpoint) override {
      return real_->set_checkpoint(size, checkpoint);
    }
    Status commit() override {
      if (fail_) return internal_error("the database went away");
      return real_->commit();
    }

   private:
    std::unique_ptr<SequencingTxn> real_;
    std::atomic<bool>& fail_;
  };
  LogStore& real_;
};

TEST_F(SequencerTest, AFailedCommitAcknowledgesNothingAndLeavesNoGap) {
  FailingStore store(*store_);
  auto seq = start(store, 64);
  ASSERT_TRUE(seq.ok());
  ASSERT_TRUE((*seq)->submit(submission(0)).ok());
  store.fail = true;
  std::vector<std::thread> threads;
  std::vector<Result<Acknowledgement>> answers(6, internal_error("unset"));
  for (int i = 0; i < 6; ++i) threads.emplace_back([&, i] { answers[i] = (*seq)->submit(submission(100 + i)); });
  for (auto& th : threads) th.join();
  for (const auto& a : answers) {
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().message, "log: sequencing failed: the database went away");
  }
  EXPECT_EQ((*seq)->published().size, 1u);
  store.fail = false;
  auto next = (*seq)->submit(submission(100));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->index, 1u);
  EXPECT_FALSE(next->existed);
  expect_verifies(*next);
  // Counted for the log's /metrics: every batch, the failed ones apart (how many batches the six
  // failed submissions made depends on timing, at least one).
  LogMetrics m;
  (*seq)->count_into(m);
  EXPECT_GE(m.batches_failed, 1u);
  EXPECT_LE(m.batches_failed, 6u);
  EXPECT_EQ(m.batches_committed, 2u);
}

TEST_F(SequencerTest, TwoSequencersOnOneDatabaseGrowOneTree) {
  auto other_store = open();
  auto a = start(*store_);
  ASSERT_TRUE(a.ok());
  auto b = start(*other_store);
  ASSERT_TRUE(b.ok());
  std::vector<Acknowledgement> acks;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Sequencer& s = t % 2 == 0 ? **a : **b;
      for (int i = 0; i < 20; ++i) {
        auto ack = s.submit(submission(t * 20 + i));
        ASSERT_TRUE(ack.ok()) << ack.error().message;
        std::lock_guard lock(mu);
        acks.push_back(std::move(*ack));
      }
    });
  }
  for (auto& th : threads) th.join();
  const Published pa = (*a)->published();
  const Published pb = (*b)->published();
  EXPECT_EQ(pa.size, 80u);
  EXPECT_EQ(pa.root, pb.root);
  std::set<std::uint64_t> indexes;
  for (const auto& ack : acks) {
    EXPECT_TRUE(indexes.insert(ack.index).second);
    expect_verifies(ack);
    // Every acknowledged leaf is in the final tree at its index: its proof against the final root verifies.
    auto proof = (*a)->inclusion_proof(ack.index, pa.size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(tlog::verify_inclusion(ack.index, pa.size, tlog::leaf_hash(ack.leaf), *proof, pa.root));
  }
}

}  // namespace
}  // namespace chartprov::app::log
