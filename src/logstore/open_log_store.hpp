#pragma once
// The log store a --db URL names (app/log/log_store.hpp):
//   sqlite:FILE             one SQLite file (logstore/sqlite_log_store.hpp), created 0600
//   postgresql://... or postgres://...
//                           PostgreSQL through libpq (logstore/postgres_log_store.hpp),
//                           libpq's URI syntax (user, password, host, port, dbname, ?sslmode=...)
// A URL in a message is always redacted (util/url.hpp: no user:password, no query).
#include <memory>
#include <string>
#include <string_view>

#include "app/log/log_store.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

// Refused (usage errors, before anything is opened): an empty URL ("log store:
// no database URL"), one over 4096 bytes or with a control character ("log
// store: <url>: not a database URL"), sqlite: without a file ("log store:
// sqlite: names no file (sqlite:FILE)"), sqlite:// ("log store: <url>: write
// sqlite:FILE, a path, not sqlite://"), any other scheme ("log store: <url>:
// neither sqlite:FILE nor postgresql://..."). Then what the store's opener
// refuses (open_sqlite_log_store, open_postgres_log_store).
Result<std::unique_ptr<app::log::LogStore>> open_log_store(std::string_view url);

}  // namespace chartprov::logstore
