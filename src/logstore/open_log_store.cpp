#include "logstore/open_log_store.hpp"

#include <algorithm>

#include "logstore/postgres_log_store.hpp"
#include "logstore/sqlite_log_store.hpp"
#include "util/url.hpp"

namespace chartprov::logstore {

Result<std::unique_ptr<app::log::LogStore>> open_log_store(std::string_view url) {
  if (url.empty()) return usage_error("log store: no database URL");
  const bool control =
      std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (url.size() > kMaxUrl || control) return usage_error("log store: " + redact_url(url) + ": not a database URL");
  if (url.starts_with("sqlite://"))
    return usage_error("log store: " + redact_url(url) + ": write sqlite:FILE, a path, not sqlite://");
  if (url.starts_with("sqlite:")) {
    const std::string path(url.substr(7));
    if (path.empty()) return usage_error("log store: sqlite: names no file (sqlite:FILE)");
    return open_sqlite_log_store(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
    return open_postgres_log_store(std::string(url));
  return usage_error("log store: " + redact_url(url) + ": neither sqlite:FILE nor postgresql://...");
}

}  // namespace chartprov::logstore
