#include "logstore/postgres_log_store.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "logstore/guarded_txn.hpp"
#include "logstore/pg_conn.hpp"
#include "logstore/store_checks.hpp"

namespace chartprov::logstore {
namespace {

using app::log::LogStore;
using app::log::NewLeaf;
using app::log::SequencingTxn;

// Rows per INSERT or find statement: 4 parameters a row stays far below libpq's 65535.
constexpr std::size_t kRowsPerStatement = 1000;

constexpr const char* kSchema = R"sql(
BEGIN;
SELECT pg_advisory_xact_lock(7310512517);
CREATE TABLE IF NOT EXISTS log_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS log_state(id integer PRIMARY KEY CHECK (id = 1), size bigint NOT NULL CHECK (size >= 0),
                                     checkpoint text);
CREATE TABLE IF NOT EXISTS entries(idx bigint PRIMARY KEY CHECK (idx >= 0), dedupe bytea NOT NULL UNIQUE,
                                   leaf bytea NOT NULL, leaf_hash bytea NOT NULL);
INSERT INTO log_meta(key, value) VALUES ('schema_version', '1') ON CONFLICT DO NOTHING;
INSERT INTO log_state(id, size, checkpoint) VALUES (1, 0, NULL) ON CONFLICT DO NOTHING;
COMMIT;
)sql";

// The session settings every connection needs, again after each reconnection.
Status set_up_session(PgConn& conn, bool writer) {
  TRY(auto sync, conn.exec("SHOW synchronous_commit"));
  if (sync.rows() != 1) return internal_error("postgresql: SHOW synchronous_commit answered nothing");
  const std::string level = sync.text_at(0, 0);
  if (level == "off" || level == "local") TRY_STATUS(conn.exec("SET synchronous_commit = on"));
  if (writer) TRY_STATUS(conn.exec("SET idle_in_transaction_session_timeout = '60s'"));
  return ok_status();
}

Status reconnect_if_lost(PgConn& conn, bool writer) {
  TRY(const bool reconnected, conn.ensure_connected());
  if (reconnected) TRY_STATUS(set_up_session(conn, writer));
  return ok_status();
}

// Runs op on conn; when it failed because the connection was lost (a server
// restart), reconnects and runs it once more. Only for ops that hold no
// transaction open across calls: a lost transaction is rolled back anyway.
template <typename Op>
auto with_reconnect(PgConn& conn, bool writer, Op op) -> decltype(op()) {
  TRY_STATUS(reconnect_if_lost(conn, writer));
  auto result = op();
  if (result.ok() || !conn.lost()) return result;
  TRY_STATUS(reconnect_if_lost(conn, writer));
  return op();
}

Result<std::uint64_t> size_of(PgResult& result) {
  if (result.rows() != 1) return internal_error("log store: log_state has no valid row");
  TRY(const std::int64_t size, result.int_at(0, 0));
  if (size < 0) return internal_error("log store: log_state has no valid row");
  return static_cast<std::uint64_t>(size);
}

// Column `column` of entries [from, to), in order; refused unless every index is there.
Result<std::vector<Bytes>> entry_column(PgConn& conn, const char* column, std::uint64_t from, std::uint64_t to) {
  TRY(auto rows, conn.exec(std::string("SELECT idx, ") + column +
                               " FROM entries WHERE idx >= $1::bigint AND idx < $2::bigint ORDER BY idx",
                           {pg_int(static_cast<std::int64_t>(from)), pg_int(static_cast<std::int64_t>(to))}));
  std::vector<Bytes> out;
  out.reserve(to - from);
  for (int r = 0; r < rows.rows(); ++r) {
    TRY(const std::int64_t idx, rows.int_at(r, 0));
    if (idx != static_cast<std::int64_t>(from + out.size())) break;
    out.push_back(rows.bytes_at(r, 1));
  }
  if (out.size() != to - from)
    return internal_error("log store: entry " + std::to_string(from + out.size()) + " is missing");
  return out;
}

class PostgresTxn final : public GuardedTxn {
 public:
  PostgresTxn(std::unique_lock<std::mutex> lock, PgConn& conn, std::uint64_t size)
      : GuardedTxn(size), lock_(std::move(lock)), conn_(conn) {}
  ~PostgresTxn() override {
    if (!committed()) (void)conn_.exec("ROLLBACK");
  }
  PostgresTxn(const PostgresTxn&) = delete;
  PostgresTxn& operator=(const PostgresTxn&) = delete;

 private:
  Result<std::vector<Bytes>> read_hashes(std::uint64_t from, std::uint64_t to) override {
    return entry_column(conn_, "leaf_hash", from, to);
  }

  Result<std::vector<std::optional<std::uint64_t>>> find_keys(const std::vector<Bytes>& keys) override {
    std::map<std::string, std::uint64_t> found;  // by the key's bytes
    for (std::size_t start = 0; start < keys.size(); start += kRowsPerStatement) {
      const std::size_t end = std::min(keys.size(), start + kRowsPerStatement);
      std::string sql = "SELECT dedupe, idx FROM entries WHERE dedupe IN (";
      std::vector<PgParam> params;
      for (std::size_t i = start; i < end; ++i) {
        sql += (i == start ? "$" : ", $") + std::to_string(i - start + 1) + "::bytea";
        params.push_back(pg_bytes(keys[i]));
      }
      TRY(auto rows, conn_.exec(sql + ")", params));
      for (int r = 0; r < rows.rows(); ++r) {
        TRY(const std::int64_t idx, rows.int_at(r, 1));
        found[rows.text_at(r, 0)] = static_cast<std::uint64_t>(idx);
      }
    }
    std::vector<std::optional<std::uint64_t>> out;
    out.reserve(keys.size());
    for (const auto& key : keys) {
      const auto it = found.find(std::string(as_chars(key)));
      out.push_back(it != found.end() ? std::optional<std::uint64_t>(it->second) : std::nullopt);
    }
    return out;
  }

  Status insert_leaves(std::uint64_t first_index, const std::vector<NewLeaf>& leaves) override {
    for (std::size_t start = 0; start < leaves.size(); start += kRowsPerStatement) {
      const std::size_t end = std::min(leaves.size(), start + kRowsPerStatement);
      std::string sql = "INSERT INTO entries(idx, dedupe, leaf, leaf_hash) VALUES ";
      std::vector<PgParam> params;
      for (std::size_t i = start; i < end; ++i) {
        const std::size_t p = (i - start) * 4;
        sql += (i == start ? "" : ", ");
        sql += "($" + std::to_string(p + 1) + "::bigint, $" + std::to_string(p + 2) + "::bytea, $" +
               std::to_string(p + 3) + "::bytea, $" + std::to_string(p + 4) + "::bytea)";
        params.push_back(pg_int(static_cast<std::int64_t>(first_index + i)));
        params.push_back(pg_bytes(leaves[i].dedupe));
        params.push_back(pg_bytes(leaves[i].leaf));
        params.push_back(pg_bytes(leaves[i].leaf_hash));
      }
      TRY_STATUS(conn_.exec(sql, params));
    }
    return ok_status();
  }

  Status write_state(std::uint64_t size, std::string_view checkpoint) override {
    TRY_STATUS(conn_.exec("UPDATE log_state SET size = $1::bigint, checkpoint = $2::text WHERE id = 1",
                          {pg_int(static_cast<std::int64_t>(size)), pg_text(std::string(checkpoint))}));
    return ok_status();
  }

  Status commit_work() override {
    auto done = conn_.exec("COMMIT");
    if (!done.ok()) return done.error();
    if (done->command_tag() != "COMMIT") return internal_error("postgresql: the transaction was rolled back");
    return ok_status();
  }

  std::unique_lock<std::mutex> lock_;
  PgConn& conn_;
};

class PostgresLogStore final : public LogStore {
 public:
  PostgresLogStore(PgConn write, PgConn read) : write_(std::move(write)), read_(std::move(read)) {}

  Result<std::unique_ptr<SequencingTxn>> begin_sequencing() override {
    std::unique_lock lock(write_mu_);
    TRY_STATUS(with_reconnect(write_, true, [&] { return write_.exec("BEGIN"); }));
    auto locked = write_.exec("SELECT size FROM log_state WHERE id = 1 FOR UPDATE");
    auto size = locked.ok() ? size_of(*locked) : Result<std::uint64_t>(locked.error());
    if (!size.ok()) {
      (void)write_.exec("ROLLBACK");
      return size.error();
    }
    return std::unique_ptr<SequencingTxn>(std::make_unique<PostgresTxn>(std::move(lock), write_, *size));
  }

  Result<std::optional<Head>> head() override {
    const std::lock_guard lock(read_mu_);
    return with_reconnect(read_, false, [&]() -> Result<std::optional<Head>> {
      TRY(auto row, read_.exec("SELECT size, checkpoint FROM log_state WHERE id = 1"));
      TRY(const std::uint64_t size, size_of(row));
      if (row.is_null(0, 1)) return std::optional<Head>();
      return std::optional<Head>(Head{size, row.text_at(0, 1)});
    });
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
    return with_reconnect(read_, false, [&]() -> Result<std::vector<Bytes>> {
      TRY(auto row, read_.exec("SELECT size FROM log_state WHERE id = 1"));
      TRY(const std::uint64_t size, size_of(row));
      TRY_STATUS(check_range(from, to, max_count, size));
      return entry_column(read_, column, from, to);
    });
  }

  std::mutex write_mu_;
  PgConn write_;
  std::mutex read_mu_;
  PgConn read_;
};

}  // namespace

Result<std::unique_ptr<LogStore>> open_postgres_log_store(const std::string& url) {
  TRY(auto write, PgConn::connect(url));
  TRY_STATUS(set_up_session(write, true));
  TRY_STATUS(write.exec_script(kSchema));
  TRY(auto version, write.exec("SELECT value FROM log_meta WHERE key = 'schema_version'"));
  const std::string v = version.rows() == 1 ? version.text_at(0, 0) : std::string();
  if (v != "1") return input_error("log store: the database has schema version " + v + ", this chartprov reads 1");
  TRY(auto read, PgConn::connect(url));
  TRY_STATUS(set_up_session(read, false));
  return std::unique_ptr<LogStore>(std::make_unique<PostgresLogStore>(std::move(write), std::move(read)));
}

}  // namespace chartprov::logstore
