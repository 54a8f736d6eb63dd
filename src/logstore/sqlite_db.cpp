#include "logstore/sqlite_db.hpp"

#include <sqlite3.h>

#include <climits>

#include "util/private_file.hpp"

namespace chartprov::logstore {
namespace {

Error sqlite_failure(sqlite3* db, const std::string& what) {
  return internal_error("sqlite: " + what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Status SqliteStatement::bind_int(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) return sqlite_failure(db_, "bind");
  return ok_status();
}

Status SqliteStatement::bind_blob(int index, ByteView value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) return internal_error("sqlite: bind: a value over 2 GiB");
  // An empty blob is still a blob, not NULL: give SQLite a non-null pointer.
  static const std::uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  if (sqlite3_bind_blob(stmt_, index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    return sqlite_failure(db_, "bind");
  return ok_status();
}

Status SqliteStatement::bind_text(int index, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(INT_MAX)) return internal_error("sqlite: bind: a value over 2 GiB");
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    return sqlite_failure(db_, "bind");
  return ok_status();
}

Result<bool> SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqlite_failure(db_, "step");
}

Status SqliteStatement::run() {
  TRY(const bool row, step());
  if (row) return internal_error("sqlite: a statement that should return nothing returned a row");
  return ok_status();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t SqliteStatement::int_at(int column) const { return sqlite3_column_int64(stmt_, column); }

Bytes SqliteStatement::blob_at(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return Bytes(data, data + size);
}

std::string SqliteStatement::text_at(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

Result<SqliteDb> SqliteDb::open(const std::string& path, int busy_timeout_ms) {
  TRY_STATUS(create_private_file_if_missing(path));
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  SqliteDb out(db);  // closes db whatever happens next
  if (rc != SQLITE_OK) return sqlite_failure(db, "opening " + path);
  sqlite3_extended_result_codes(db, 1);
  if (sqlite3_busy_timeout(db, busy_timeout_ms) != SQLITE_OK) return sqlite_failure(db, "busy timeout");
  return out;
}

SqliteDb::~SqliteDb() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status SqliteDb::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlite_failure(db_, "exec");
  return ok_status();
}

Result<std::string> SqliteDb::query_text(const char* sql) {
  TRY(auto stmt, prepare(sql));
  TRY(const bool row, stmt.step());
  return row ? stmt.text_at(0) : std::string();
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) return internal_error("sqlite: prepare: statement too long");
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return sqlite_failure(db_, "prepare");
  return SqliteStatement(db_, stmt);
}

}  // namespace chartprov::logstore
