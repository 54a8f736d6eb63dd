// The log stores (app/log/log_store.hpp) against a real SQLite file and a real PostgreSQL 15
// (the CTest fixture "postgres"): every test runs on both.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "logstore/open_log_store.hpp"
#include "logstore/pg_conn.hpp"
#include "test_databases.hpp"

namespace chartprov::logstore {
namespace {

using app::log::LogStore;
using app::log::NewLeaf;

// Entry n: a dedupe key and leaf hash that name n (32 bytes each), and a leaf "entry n".
NewLeaf leaf(std::uint64_t n) {
  NewLeaf l;
  l.dedupe.assign(32, 0xd0);
  l.leaf_hash.assign(32, 0x1a);
  for (int i = 0; i < 8; ++i) {
    l.dedupe[i] = static_cast<std::uint8_t>(n >> (8 * i));
    l.leaf_hash[i] = static_cast<std::uint8_t>(n >> (8 * i));
  }
  l.leaf = to_bytes("entry " + std::to_string(n));
  return l;
}

std::unique_ptr<LogStore> open_ok(const std::string& url) {
  auto store = open_log_store(url);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

// Appends entries [first, first + n) in one sequencing transaction with a checkpoint "cp <size>".
void append(LogStore& store, std::uint64_t n) {
  auto txn = store.begin_sequencing();
  ASSERT_TRUE(txn.ok()) << txn.error().message;
  auto size = (*txn)->size();
  ASSERT_TRUE(size.ok()) << size.error().message;
  std::vector<NewLeaf> leaves;
  for (std::uint64_t i = 0; i < n; ++i) leaves.push_back(leaf(*size + i));
  auto st = (*txn)->insert(*size, leaves);
  ASSERT_TRUE(st.ok()) << st.error().message;
  st = (*txn)->set_checkpoint(*size + n, "cp " + std::to_string(*size + n));
  ASSERT_TRUE(st.ok()) << st.error().message;
  st = (*txn)->commit();
  ASSERT_TRUE(st.ok()) << st.error().message;
}

class LogStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<test::TestDatabase> db_ = test::make_test_database(GetParam());
};

TEST_P(LogStoreTest, ANewLogHasNoHeadAndSizeZero) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  auto head = store->head();
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_FALSE(head->has_value());
  auto txn = store->begin_sequencing();
  ASSERT_TRUE(txn.ok()) << txn.error().message;
  EXPECT_EQ(*(*txn)->size(), 0u);
}

TEST_P(LogStoreTest, AppendedEntriesReadBackInOrderWithTheirCheckpoint) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 3);
  append(*store, 2);
  auto head = store->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, 5u);
  EXPECT_EQ((*head)->checkpoint, "cp 5");
  auto leaves = store->leaves(1, 5);
  ASSERT_TRUE(leaves.ok()) << leaves.error().message;
  ASSERT_EQ(leaves->size(), 4u);
  for (std::uint64_t i = 0; i < 4; ++i) EXPECT_EQ((*leaves)[i], leaf(i + 1).leaf);
  auto hashes = store->leaf_hashes(0, 5);
  ASSERT_TRUE(hashes.ok()) << hashes.error().message;
  ASSERT_EQ(hashes->size(), 5u);
  for (std::uint64_t i = 0; i < 5; ++i) EXPECT_EQ((*hashes)[i], leaf(i).leaf_hash);
}

TEST_P(LogStoreTest, ReadsBeyondTheTreeOrTooLongAreRefused) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 2);
  auto beyond = store->leaves(0, 3);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().message, "log store: range [0, 3) is beyond the tree of 2 entries");
  auto empty = store->leaf_hashes(1, 1);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "log store: empty range [1, 1)");
  auto many = store->leaves(0, 257);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message, "log store: range [0, 257) holds more than 256 entries");
}

TEST_P(LogStoreTest, FindNamesTheIndexOfEachKnownDedupeKey) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 4);
  auto txn = store->begin_sequencing();
  ASSERT_TRUE(txn.ok()) << txn.error().message;
  auto found = (*txn)->find({leaf(2).dedupe, leaf(9).dedupe, leaf(0).dedupe, leaf(2).dedupe});
  ASSERT_TRUE(found.ok()) << found.error().message;
  const std::vector<std::optional<std::uint64_t>> expected = {2u, std::nullopt, 0u, 2u};
  EXPECT_EQ(*found, expected);
  // In the transaction, its own inserts are found too.
  ASSERT_TRUE((*txn)->insert(4, {leaf(9)}).ok());
  found = (*txn)->find({leaf(9).dedupe});
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ((*found)[0], std::optional<std::uint64_t>(4u));
}

TEST_P(LogStoreTest, ADuplicateDedupeKeyIsRefusedAndPoisonsTheTransaction) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 2);
  auto txn = store->begin_sequencing();
  ASSERT_TRUE(txn.ok()) << txn.error().message;
  NewLeaf again = leaf(2);
  again.dedupe = leaf(1).dedupe;
  EXPECT_FALSE((*txn)->insert(2, {again}).ok());
  auto commit = (*txn)->commit();
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.error().message, "log store: the transaction failed earlier and can only be rolled back");
  txn->reset();
  auto head = store->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, 2u);
}

TEST_P(LogStoreTest, InsertsMustContinueTheTreeAndTheCheckpointCoverIt) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 1);
  {
    auto txn = store->begin_sequencing();
    ASSERT_TRUE(txn.ok());
    auto gap = (*txn)->insert(2, {leaf(2)});
    ASSERT_FALSE(gap.ok());
    EXPECT_EQ(gap.error().message, "log store: insert at 2, the next index is 1");
  }
  {
    auto txn = store->begin_sequencing();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->insert(1, {leaf(1), leaf(2)}).ok());
    ASSERT_TRUE((*txn)->insert(3, {leaf(3)}).ok());  // a second insert continues the first
    auto short_cp = (*txn)->set_checkpoint(3, "cp 3");
    ASSERT_FALSE(short_cp.ok());
    EXPECT_EQ(short_cp.error().message, "log store: checkpoint of size 3 over 4 entries");
  }
  auto head = store->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, 1u);
}

TEST_P(LogStoreTest, ATransactionDestroyedWithoutCommitLeavesNothing) {
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  append(*store, 2);
  {
    auto txn = store->begin_sequencing();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->insert(2, {leaf(2), leaf(3)}).ok());
    ASSERT_TRUE((*txn)->set_checkpoint(4, "cp 4").ok());
    auto inside = (*txn)->leaf_hashes(0, 4);
    ASSERT_TRUE(inside.ok()) << inside.error().message;
    EXPECT_EQ(inside->size(), 4u);
  }
  auto head = store->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, 2u);
  EXPECT_EQ((*head)->checkpoint, "cp 2");
  EXPECT_FALSE(store->leaves(0, 3).ok());
  // The same entries can be sequenced again: nothing of the rolled-back ones remains.
  append(*store, 2);
  auto leaves = store->leaves(2, 4);
  ASSERT_TRUE(leaves.ok()) << leaves.error().message;
  EXPECT_EQ((*leaves)[1], leaf(3).leaf);
}

TEST_P(LogStoreTest, ReopeningAfterCloseKeepsEverything) {
  {
    auto store = open_ok(db_->url());
    ASSERT_TRUE(store);
    append(*store, 3);
  }
  auto store = open_ok(db_->url());
  ASSERT_TRUE(store);
  auto head = store->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, 3u);
  EXPECT_EQ((*head)->checkpoint, "cp 3");
  auto leaves = store->leaves(0, 3);
  ASSERT_TRUE(leaves.ok()) << leaves.error().message;
  EXPECT_EQ((*leaves)[2], leaf(2).leaf);
  append(*store, 1);
  EXPECT_EQ((*store->head())->size, 4u);
}

// Two store objects on one database (two log front-ends), four threads each sequencing
// batches: the entries are 0..N-1 without a gap or a duplicate, each batch's entries
// consecutive, and the checkpoint covers them all.
TEST_P(LogStoreTest, TwoStoresSequencingConcurrentlyMakeOneTreeWithoutGaps) {
  auto a = open_ok(db_->url());
  auto b = open_ok(db_->url());
  ASSERT_TRUE(a && b);
  constexpr int kThreads = 4;
  constexpr int kBatches = 15;
  constexpr std::uint64_t kPerBatch = 3;
  std::atomic<int> failures{0};
  std::mutex mu;
  std::vector<std::vector<std::uint64_t>> batches;  // the indices each committed batch got
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      LogStore& store = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kBatches; ++i) {
        auto txn = store.begin_sequencing();
        if (!txn.ok()) {
          ++failures;
          continue;
        }
        auto size = (*txn)->size();
        if (!size.ok()) {
          ++failures;
          continue;
        }
        // Unique per thread and batch, not per index: what a submission's digest is.
        std::vector<NewLeaf> leaves;
        for (std::uint64_t k = 0; k < kPerBatch; ++k) {
          NewLeaf l = leaf(1000000u * static_cast<std::uint64_t>(t + 1) + 1000u * static_cast<std::uint64_t>(i) + k);
          leaves.push_back(l);
        }
        if (!(*txn)->insert(*size, leaves).ok() ||
            !(*txn)->set_checkpoint(*size + kPerBatch, "cp " + std::to_string(*size + kPerBatch)).ok() ||
            !(*txn)->commit().ok()) {
          ++failures;
          continue;
        }
        const std::lock_guard lock(mu);
        batches.push_back({*size, *size + 1, *size + 2});
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const std::uint64_t total = static_cast<std::uint64_t>(kThreads) * kBatches * kPerBatch;
  auto head = a->head();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->size, total);
  EXPECT_EQ((*head)->checkpoint, "cp " + std::to_string(total));
  std::set<std::uint64_t> indices;
  for (const auto& batch : batches) indices.insert(batch.begin(), batch.end());
  EXPECT_EQ(indices.size(), total);
  EXPECT_EQ(*indices.rbegin(), total - 1);
  // Every stored entry is there once: leaves are distinct and the dedupe keys found at their index.
  std::set<Bytes> seen;
  for (std::uint64_t from = 0; from < total; from += 100) {
    auto leaves = b->leaves(from, std::min(total, from + 100));
    ASSERT_TRUE(leaves.ok()) << leaves.error().message;
    seen.insert(leaves->begin(), leaves->end());
  }
  EXPECT_EQ(seen.size(), total);
}

INSTANTIATE_TEST_SUITE_P(Stores, LogStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

TEST(SqliteLogStore, TheFileIsCreatedPrivate) {
  test::TempDir dir;
  const auto path = dir / "log.db";
  auto store = open_log_store("sqlite:" + path.string());
  ASSERT_TRUE(store.ok()) << store.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteLogStore, AFileThatIsNoDatabaseIsRefused) {
  test::TempDir dir;
  test::write_text(dir / "log.db", std::string(4096, 'x'));
  auto store = open_log_store("sqlite:" + (dir / "log.db").string());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos) << store.error().message;
}

TEST(OpenLogStore, BadUrlsAreRefusedBeforeAnythingIsOpened) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "log store: no database URL"},
      {"sqlite:", "log store: sqlite: names no file (sqlite:FILE)"},
      {"sqlite:///tmp/x.db", "log store: sqlite:///tmp/x.db: write sqlite:FILE, a path, not sqlite://"},
      {"mysql://u:pw@db/x", "log store: mysql://***@db/x: neither sqlite:FILE nor postgresql://..."},
      {"/var/lib/log.db", "log store: /var/lib/log.db: neither sqlite:FILE nor postgresql://..."},
      {"sqlite:/tmp/a\nb", "log store: sqlite:/tmp/a\nb: not a database URL"},
  };
  for (const auto& [url, message] : cases) {
    auto store = open_log_store(url);
    ASSERT_FALSE(store.ok()) << url;
    EXPECT_EQ(store.error().message, message);
  }
}

TEST(OpenLogStore, AnUnreachableServerIsRefusedWithoutItsPassword) {
  // Port 1 on loopback: nothing listens there.
  auto store = open_log_store("postgresql://chartprov:s3cret-pw@127.0.0.1:1/chartprov?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message.find("s3cret-pw"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("postgresql: cannot connect to postgresql://***@127.0.0.1:1/chartprov?***"),
            std::string::npos)
      << store.error().message;
}

TEST(PostgresLogStore, AWrongPasswordIsRefusedWithoutIt) {
  // The fixture's server trusts every local connection, so a wrong database name stands in for a
  // refusal by the server: its message must not carry the password either.
  std::string url = test::postgres_server_url();
  const auto at = url.find('@');
  url = url.substr(0, at) + ":pw-in-url" + url.substr(at);
  url = url.substr(0, url.rfind('/') + 1) + "no_such_db";
  auto store = open_log_store(url);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().message.find("pw-in-url"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("no_such_db"), std::string::npos) << store.error().message;
}

// A writer is never held forever by one statement: the connection's
// default bounds it, and a URL may still set its own.
TEST(PostgresLogStore, ConnectionsBoundEveryStatementUnlessTheUrlSaysOtherwise) {
  const std::string url = test::postgres_server_url();
  const auto setting = [](PgConn& conn, const char* name) {
    auto r = conn.exec(std::string("SELECT current_setting('") + name + "')");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->text_at(0, 0) : std::string();
  };
  auto conn = PgConn::connect(url);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  EXPECT_EQ(setting(*conn, "statement_timeout"), "1min");
  EXPECT_EQ(setting(*conn, "client_min_messages"), "warning");
  auto own =
      PgConn::connect(url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20statement_timeout%3D5s");
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(setting(*own, "statement_timeout"), "5s");
}

}  // namespace
}  // namespace chartprov::logstore
