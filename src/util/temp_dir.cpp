#include "util/temp_dir.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <string>

#include "util/clock.hpp"

namespace chartprov {
namespace {

constexpr std::time_t kStaleAfterSeconds = 60;
constexpr std::size_t kMkdtempSuffix = 6;  // "XXXXXX"

bool made_with_prefix(std::string_view name, std::string_view prefix) {
  if (name.size() != prefix.size() + 1 + kMkdtempSuffix || !name.starts_with(prefix) || name[prefix.size()] != '-') {
    return false;
  }
  for (const char c : name.substr(prefix.size() + 1)) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

UniqueFd open_dir(const std::filesystem::path& dir) {
  return UniqueFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

// Removes the directories a dead owner left: ours, unlocked, quiet for a minute.
// Best effort: anything unexpected leaves the entry where it is.
void remove_abandoned(const std::filesystem::path& base, std::string_view prefix) {
  std::error_code ec;
  const std::time_t now = static_cast<std::time_t>(unix_now());
  for (std::filesystem::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::directory_entry& entry = *it;
    if (!made_with_prefix(entry.path().filename().native(), prefix)) continue;
    const UniqueFd fd = open_dir(entry.path());
    if (fd.get() < 0) continue;
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) continue;
    if (now - st.st_mtime < kStaleAfterSeconds) continue;
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;  // a live owner holds it
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

}  // namespace

Result<TempDir> TempDir::create(std::string_view prefix, const std::filesystem::path& parent) {
  std::error_code ec;
  const std::filesystem::path base = parent.empty() ? std::filesystem::temp_directory_path(ec) : parent;
  if (ec) return input_error("no temporary directory: " + ec.message());
  remove_abandoned(base, prefix);
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  // mkdtemp creates the directory 0700.
  if (::mkdtemp(pattern.data()) == nullptr) return input_error("cannot create a private directory in " + base.string());
  UniqueFd lock = open_dir(pattern);
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
    std::filesystem::remove_all(pattern, ec);
    return input_error("cannot lock the private directory " + pattern);
  }
  return TempDir(pattern, std::move(lock));
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)), lock_(std::move(other.lock_)) {
  other.path_.clear();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace chartprov
