#include "logstore/pg_conn.hpp"

#include <libpq-fe.h>

#include <array>
#include <climits>

#include "util/secure.hpp"
#include "util/url.hpp"

namespace chartprov::logstore {
namespace {

// The URL's password, if it names one (for cutting it out of messages).
std::string password_of(const std::string& url) {
  PQconninfoOption* options = PQconninfoParse(url.c_str(), nullptr);
  if (options == nullptr) return {};
  std::string out;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) out = o->val;
  }
  PQconninfoFree(options);
  return out;
}

// The first line of a libpq message, without its trailing newline.
std::string first_line(const char* message) {
  std::string out = message != nullptr ? message : "";
  if (const auto nl = out.find('\n'); nl != std::string::npos) out.resize(nl);
  return out.empty() ? std::string("unknown error") : out;
}

}  // namespace

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const { return PQntuples(result_); }

bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

Bytes PgResult::bytes_at(int row, int column) const {
  const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(result_, row, column));
  const int size = PQgetlength(result_, row, column);
  if (data == nullptr || size <= 0) return {};
  return Bytes(data, data + size);
}

std::string PgResult::text_at(int row, int column) const {
  const Bytes b = bytes_at(row, column);
  return std::string(as_chars(b));
}

Result<std::int64_t> PgResult::int_at(int row, int column) const {
  const Bytes b = bytes_at(row, column);
  if (PQgetisnull(result_, row, column) != 0 || (b.size() != 8 && b.size() != 4 && b.size() != 2))
    return internal_error("postgresql: an integer column is not an integer");
  std::uint64_t v = 0;
  for (const std::uint8_t byte : b) v = (v << 8) | byte;
  // Sign-extend the 2- and 4-byte forms.
  const unsigned bits = static_cast<unsigned>(b.size()) * 8;
  if (bits < 64 && (v >> (bits - 1)) != 0) v |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(v);
}

std::string PgResult::command_tag() const { return PQcmdStatus(result_); }

Result<PgConn> PgConn::connect(const std::string& url) {
  // client_min_messages: the schema's CREATE ... IF NOT EXISTS would print a NOTICE per table on
  // every start; warnings and errors still come through. statement_timeout: no statement (a
  // batch's commit included) holds a writer past a minute. Keepalives and tcp_user_timeout: a
  // server that vanished (a failed primary, a cut network) fails the call within about 30 s
  // instead of holding every waiting writer until the kernel gives up, hours later. A URL that
  // sets any of these wins.
  const std::array<const char*, 10> keys = {
      "connect_timeout",     "application_name", "options",          "keepalives", "keepalives_idle",
      "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname",     nullptr};
  const std::array<const char*, 10> values = {"10",
                                              "chartprov-log",
                                              "-c client_min_messages=warning -c statement_timeout=60s",
                                              "1",
                                              "10",
                                              "5",
                                              "3",
                                              "30000",
                                              url.c_str(),
                                              nullptr};
  // expand_dbname: the URL in dbname is parsed, and what it sets overrides the defaults before it.
  pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  PgConn out(conn, redact_url(url), password_of(url));
  if (conn == nullptr) return internal_error("postgresql: cannot connect to " + out.url_ + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK)
    return input_error("postgresql: cannot connect to " + out.url_ + ": " +
                       out.clean(first_line(PQerrorMessage(conn))));
  return out;
}

PgConn::PgConn(PgConn&& other) noexcept
    : conn_(other.conn_), url_(std::move(other.url_)), password_(std::move(other.password_)) {
  other.conn_ = nullptr;
}

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
  secure_wipe(password_.data(), password_.size());
}

Result<bool> PgConn::ensure_connected() {
  if (PQstatus(conn_) == CONNECTION_OK) return false;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    return input_error("postgresql: cannot connect to " + url_ + ": " + clean(first_line(PQerrorMessage(conn_))));
  return true;
}

bool PgConn::lost() const { return PQstatus(conn_) != CONNECTION_OK; }

Result<PgResult> PgConn::exec(std::string_view sql, const std::vector<PgParam>& params) {
  const std::string statement(sql);
  if (params.size() > 65535) return internal_error("postgresql: too many parameters");
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const auto& p : params) {
    if (p.value.size() > static_cast<std::size_t>(INT_MAX)) return internal_error("postgresql: a value over 2 GiB");
    values.push_back(p.value.c_str());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  // PQexecParams even without parameters: only it returns binary results.
  pg_result* raw = PQexecParams(conn_, statement.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                lengths.data(), formats.data(), 1);
  return checked(raw);
}

Status PgConn::exec_script(const char* sql) {
  TRY_STATUS(checked(PQexec(conn_, sql)));
  return ok_status();
}

Result<PgResult> PgConn::checked(pg_result* raw) {
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* message = raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
    return internal_error("postgresql: " + clean(first_line(message)));
  }
  return result;
}

std::string PgConn::clean(std::string message) const {
  if (password_.empty()) return message;
  for (auto at = message.find(password_); at != std::string::npos; at = message.find(password_, at + 3))
    message.replace(at, password_.size(), "***");
  return message;
}

}  // namespace chartprov::logstore
