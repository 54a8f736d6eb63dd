#include "app/keys/key_history_file.hpp"

#include <sys/stat.h>

#include "util/file.hpp"

namespace chartprov::app {

Result<keys::KeyHistory> load_key_history(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return input_error(path.string() +
                       " is writable by group or others (it decides which keys count); run: chmod go-w " +
                       path.string());
  }
  TRY(const std::string text, read_text_file(path, keys::kMaxKeyHistorySize));
  auto history = keys::parse_key_history(text);
  if (!history) return history.error().with_context(path.string());
  return history;
}

Result<keys::KeyHistory> load_key_history_or_empty(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return keys::KeyHistory{};
  return load_key_history(path);
}

Status save_key_history(const std::filesystem::path& path, const keys::KeyHistory& history) {
  return atomic_write(path, keys::serialize_key_history(history), 0644);
}

std::string key_history_refusal(const keys::KeyHistory& history, const std::string& fingerprint, std::int64_t signed_at,
                                std::int64_t now) {
  const keys::KeyRecord* record = history.find_by_openpgp(fingerprint);
  if (record == nullptr) return "signing key " + fingerprint + " is not in the key history";
  const auto verdict = keys::check_key_at(*record, signed_at, now);
  return verdict.ok ? std::string() : verdict.reason;
}

}  // namespace chartprov::app
