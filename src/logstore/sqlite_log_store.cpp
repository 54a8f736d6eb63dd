#include "logstore/sqlite_log_store.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "logstore/guarded_txn.hpp"
#include "logstore/sqlite_db.hpp"
#include "logstore/store_checks.hpp"

namespace chartprov::logstore {
namespace {

using app::log::LogStore;
using app::log::NewLeaf;
using app::log::SequencingTxn;

constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema = R"sql(
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS log_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log_state(id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL, checkpoint TEXT);
CREATE TABLE IF NOT EXISTS entries(idx INTEGER PRIMARY KEY, dedupe BLOB NOT NULL UNIQUE, leaf BLOB NOT NULL,
                                   leaf_hash BLOB NOT NULL);
INSERT OR IGNORE INTO log_meta(key, value) VALUES ('schema_version', '1');
INSERT OR IGNORE INTO log_state(id, size, checkpoint) VALUES (1, 0, NULL);
COMMIT;
)sql";

Result<std::uint64_t> state_size(SqliteDb& db) {
  TRY(auto stmt, db.prepare("SELECT size FROM log_state WHERE id = 1"));
  TRY(const bool row, stmt.step());
  if (!row || stmt.int_at(0) < 0) return internal_error("log store: log_state has no valid row");
  return static_cast<std::uint64_t>(stmt.int_at(0));
}

// Column 0 of entries [from, to), in order; refused unless every index is there.
Result<std::vector<Bytes>> entry_column(SqliteDb& db, const char* column, std::uint64_t from, std::uint64_t to) {
  TRY(auto stmt,
      db.prepare(std::string("SELECT idx, ") + column + " FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
  TRY_STATUS(stmt.bind_int(1, static_cast<std::int64_t>(from)));
  TRY_STATUS(stmt.bind_int(2, static_cast<std::int64_t>(to)));
  std::vector<Bytes> out;
  out.reserve(to - from);
  for (;;) {
    TRY(const bool row, stmt.step());
    if (!row) break;
    if (stmt.int_at(0) != static_cast<std::int64_t>(from + out.size()))
      return internal_error("log store: entry " + std::to_string(from + out.size()) + " is missing");
    out.push_back(stmt.blob_at(1));
  }
  if (out.size() != to - from)
    return internal_error("log store: entry " + std::to_string(from + out.size()) + " is missing");
  return out;
}

class SqliteTxn final : public GuardedTxn {
 public:
  SqliteTxn(std::unique_lock<std::mutex> lock, SqliteDb& db, std::uint64_t size)
      : GuardedTxn(size), lock_(std::move(lock)), db_(db) {}
  ~SqliteTxn() override {
    if (!committed()) (void)db_.exec("ROLLBACK");
  }
  SqliteTxn(const SqliteTxn&) = delete;
  SqliteTxn& operator=(const SqliteTxn&) = delete;

 private:
  Result<std::vector<Bytes>> read_hashes(std::uint64_t from, std::uint64_t to) override {
    return entry_column(db_, "leaf_hash", from, to);
  }

  Result<std::vector<std::optional<std::uint64_t>>> find_keys(const std::vector<Bytes>& keys) override {
    TRY(auto stmt, db_.prepare("SELECT idx FROM entries WHERE dedupe = ?1"));
    std::vector<std::optional<std::uint64_t>> out;
    out.reserve(keys.size());
    for (const auto& key : keys) {
      stmt.reset();
      TRY_STATUS(stmt.bind_blob(1, key));
      TRY(const bool row, stmt.step());
      out.push_back(row ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(stmt.int_at(0))) : std::nullopt);
    }
    return out;
  }

  Status insert_leaves(std::uint64_t first_index, const std::vector<NewLeaf>& leaves) override {
    TRY(auto stmt, db_.prepare("INSERT INTO entries(idx, dedupe, leaf, leaf_hash) VALUES (?1, ?2, ?3, ?4)"));
    std::uint64_t idx = first_index;
    for (const auto& leaf : leaves) {
      stmt.reset();
      TRY_STATUS(stmt.bind_int(1, static_cast<std::int64_t>(idx)));
      TRY_STATUS(stmt.bind_blob(2, leaf.dedupe));
      TRY_STATUS(stmt.bind_blob(3, leaf.leaf));
      TRY_STATUS(stmt.bind_blob(4, leaf.leaf_hash));
      TRY_STATUS(stmt.run());
      ++idx;
    }
    return ok_status();
  }

  Status write_state(std::uint64_t size, std::string_view checkpoint) override {
    TRY(auto stmt, db_.prepare("UPDATE log_state SET size = ?1, checkpoint = ?2 WHERE id = 1"));
    TRY_STATUS(stmt.bind_int(1, static_cast<std::int64_t>(size)));
    TRY_STATUS(stmt.bind_text(2, checkpoint));
    return stmt.run();
  }

  Status commit_work() override { return db_.exec("COMMIT"); }

  std::unique_lock<std::mutex> lock_;
  SqliteDb& db_;
};

class SqliteLogStore final : public LogStore {
 public:
  SqliteLogStore(SqliteDb write, SqliteDb read) : write_(std::move(write)), read_(std::move(read)) {}

  Result<std::unique_ptr<SequencingTxn>> begin_sequencing() override {
    std::unique_lock lock(write_mu_);
    TRY_STATUS(write_.exec("BEGIN IMMEDIATE"));
    auto size = state_size(write_);
    if (!size.ok()) {
      (void)write_.exec("ROLLBACK");
      return size.error();
    }
    return std::unique_ptr<SequencingTxn>(std::make_unique<SqliteTxn>(std::move(lock), write_, *size));
  }

  Result<std::optional<Head>> head() override {
    const std::lock_guard lock(read_mu_);
    TRY(auto stmt, read_.prepare("SELECT size, checkpoint FROM log_state WHERE id = 1"));
    TRY(const bool row, stmt.step());
    if (!row || stmt.int_at(0) < 0) return internal_error("log store: log_state has no valid row");
    if (stmt.is_null(1)) return std::optional<Head>();
    return std::optional<Head>(Head{static_cast<std::uint64_t>(stmt.int_at(0)), stmt.text_at(1)});
  }

  Result<std::vector<Bytes>> leaves(std::uint64_t from, std::uint64_t to) override {
    return read_column("leaf", from, to, kMaxLeavesPerRead);
  }

  Result<std::vector<Bytes>> leaf_hashes(std::uint64_t from, std::uint64_t to) override {
    return read_column("leaf_hash", from, to, kMaxLeafHashesPerRead);
  }

 private:
  Result<std::vector<Bytes>> read_column(const char* column, std::uint64_t from, std::uint64_t to,
                                         std::uint64_t max_count) {
    const std::lock_guard lock(read_mu_);
    TRY(const std::uint64_t size, state_size(read_));
    TRY_STATUS(check_range(from, to, max_count, size));
    return entry_column(read_, column, from, to);
  }

  std::mutex write_mu_;
  SqliteDb write_;
  std::mutex read_mu_;
  SqliteDb read_;
};

}  // namespace

Result<std::unique_ptr<LogStore>> open_sqlite_log_store(const std::string& path) {
  TRY(auto write, SqliteDb::open(path, kBusyTimeoutMs));
  TRY(const std::string mode, write.query_text("PRAGMA journal_mode=WAL"));
  if (mode != "wal") return internal_error("sqlite: " + path + " cannot use a WAL journal");
  TRY_STATUS(write.exec("PRAGMA synchronous=FULL"));
  TRY_STATUS(write.exec(kSchema));
  TRY(const std::string version, write.query_text("SELECT value FROM log_meta WHERE key = 'schema_version'"));
  if (version != "1")
    return input_error("log store: " + path + " has schema version " + version + ", this chartprov reads 1");
  TRY(auto read, SqliteDb::open(path, kBusyTimeoutMs));
  TRY_STATUS(read.exec("PRAGMA query_only=1"));
  return std::unique_ptr<LogStore>(std::make_unique<SqliteLogStore>(std::move(write), std::move(read)));
}

}  // namespace chartprov::logstore
