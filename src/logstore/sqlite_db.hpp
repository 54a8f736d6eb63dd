#pragma once
// The few SQLite calls the log store makes, as values: a connection and its
// prepared statements, each closed exactly once. Every failure is an Error
// "sqlite: <what>: <SQLite's message>", never an exception or a crash.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace chartprov::logstore {

// A prepared statement. Bind (1-based), step, read columns (0-based), reset.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;

  Status bind_int(int index, std::int64_t value);
  Status bind_blob(int index, ByteView value);
  Status bind_text(int index, std::string_view value);
  // One step: true when a row is ready to read, false when the statement is done.
  // Refused: any SQLite error (a constraint, SQLITE_BUSY past the busy timeout, I/O).
  Result<bool> step();
  // Steps to the end; refused as step() is, and when the statement returns a row.
  Status run();
  // Ready for new bindings (clears the old ones).
  void reset();

  bool is_null(int column) const;
  std::int64_t int_at(int column) const;
  Bytes blob_at(int column) const;
  std::string text_at(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // Opens the database file read-write, creating it when missing (a new file is
  // made 0600 first, so that the WAL and shared-memory files SQLite adds take
  // the same mode), with a busy timeout of busy_timeout_ms. Refused: the file
  // cannot be created or opened, or is a symlink.
  static Result<SqliteDb> open(const std::string& path, int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(SqliteDb&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  SqliteDb& operator=(SqliteDb&&) = delete;

  // Runs one or more statements that return no rows we read.
  Status exec(const char* sql);
  // Runs one statement and returns the text of its first row's first column ("" if none).
  Result<std::string> query_text(const char* sql);
  Result<SqliteStatement> prepare(std::string_view sql);

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace chartprov::logstore
