#pragma once
// The few libpq calls the PostgreSQL stores make, as values: one connection,
// its results (binary format: bytea as raw bytes, bigint as 8 bytes), each
// freed exactly once. Messages never carry the URL's password: they name the
// URL redacted (util/url.hpp), and any text libpq or the server returns has
// the password cut out before it is kept.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

struct pg_conn;
struct pg_result;

namespace chartprov::logstore {

// A statement parameter: text (ints, text) or binary (bytea's raw bytes).
struct PgParam {
  std::string value;
  bool binary = false;
};
inline PgParam pg_text(std::string value) { return {std::move(value), false}; }
inline PgParam pg_int(std::int64_t value) { return {std::to_string(value), false}; }
inline PgParam pg_bytes(ByteView value) { return {std::string(as_chars(value)), true}; }

class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;

  int rows() const;
  bool is_null(int row, int column) const;
  // The column's raw value: bytea's bytes, text's characters.
  Bytes bytes_at(int row, int column) const;
  std::string text_at(int row, int column) const;
  // A bigint, integer or smallint column; refused for anything else.
  Result<std::int64_t> int_at(int row, int column) const;
  // The command tag ("COMMIT", "ROLLBACK", "INSERT 0 5").
  std::string command_tag() const;

 private:
  pg_result* result_;
};

class PgConn {
 public:
  // Connects to a postgresql:// URL (libpq's URI syntax), application_name
  // chartprov-log, with defaults the URL may override: connect_timeout 10 s,
  // statement_timeout 60 s, TCP keepalives and tcp_user_timeout so that a
  // vanished server fails a call within about 30 s.
  // Refused: "postgresql: cannot connect to <redacted URL>: <libpq's reason>".
  static Result<PgConn> connect(const std::string& url);
  ~PgConn();
  PgConn(PgConn&& other) noexcept;
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  PgConn& operator=(PgConn&&) = delete;

  // Reconnects when the connection was lost (a server restart); true when it
  // had to. Refused as connect() is.
  Result<bool> ensure_connected();
  // Whether the connection is gone (the server restarted or went away): the
  // statement that found out failed, and ensure_connected() would reconnect.
  bool lost() const;
  // Runs one statement (with $1.. parameters, if any); results in binary
  // format. Refused: "postgresql: <server's message>" for any error, the
  // connection's loss included.
  Result<PgResult> exec(std::string_view sql, const std::vector<PgParam>& params = {});
  // Runs a script of several statements (no parameters, no rows read);
  // refused as exec() is.
  Status exec_script(const char* sql);

 private:
  PgConn(pg_conn* conn, std::string url, std::string password)
      : conn_(conn), url_(std::move(url)), password_(std::move(password)) {}
  std::string clean(std::string message) const;
  // The result, or the error it carries (taking ownership either way).
  Result<PgResult> checked(pg_result* raw);

  pg_conn* conn_;
  std::string url_;       // redacted
  std::string password_;  // what every message has cut out; wiped on destruction
};

}  // namespace chartprov::logstore
