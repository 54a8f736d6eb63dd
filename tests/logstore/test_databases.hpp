#pragma once
// The databases the log store tests run against: a fresh SQLite file, or a fresh database on
// the real PostgreSQL the CTest fixture "postgres" started (its URL in the file named by
// $CHARTPROV_TEST_PG_URL_FILE; tests/logstore/postgres_fixture.sh). Each is dropped afterwards.
// Header-only: every .cpp of a test folder is a *_test.cpp (tests/CMakeLists.txt).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "logstore/pg_conn.hpp"
#include "support/test_support.hpp"

namespace chartprov::test {

// The fixture server's URL (postgresql://chartprov@127.0.0.1:PORT/chartprov); the test fails
// when there is none (run it through ctest, which starts the server).
inline std::string postgres_server_url();

class TestDatabase {
 public:
  TestDatabase() = default;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  virtual ~TestDatabase() = default;
  virtual std::string url() const = 0;
};

namespace detail {

class SqliteDatabase final : public TestDatabase {
 public:
  std::string url() const override { return "sqlite:" + (dir_ / "log.db").string(); }

 private:
  TempDir dir_;
};

class PostgresDatabase final : public TestDatabase {
 public:
  PostgresDatabase() {
    static std::atomic<int> counter{0};
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    const std::string server = postgres_server_url();
    auto conn = logstore::PgConn::connect(server);
    EXPECT_TRUE(conn.ok()) << conn.error().message;
    if (!conn.ok()) return;
    auto made = conn->exec("CREATE DATABASE " + name_);
    EXPECT_TRUE(made.ok()) << made.error().message;
    url_ = server.substr(0, server.rfind('/') + 1) + name_;
  }
  ~PostgresDatabase() override {
    auto conn = logstore::PgConn::connect(postgres_server_url());
    if (conn.ok()) (void)conn->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;
  std::string url() const override { return url_; }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace detail

inline std::string postgres_server_url() {
  const char* file = std::getenv("CHARTPROV_TEST_PG_URL_FILE");
  if (file == nullptr) {
    ADD_FAILURE() << "CHARTPROV_TEST_PG_URL_FILE is not set: run this test through ctest (fixture postgres)";
    return "postgresql://nobody@127.0.0.1:1/none";
  }
  std::string url = read_text(file);
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) url.pop_back();
  return url;
}

inline std::unique_ptr<TestDatabase> make_test_database(const std::string& kind) {
  if (kind == "postgres") return std::make_unique<detail::PostgresDatabase>();
  return std::make_unique<detail::SqliteDatabase>();
}

}  // namespace chartprov::test
