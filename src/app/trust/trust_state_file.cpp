#include "app/trust/trust_state_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "util/fd.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

// The trust directory as the state names it: absolute, without . and .. or links.
fs::path state_key(const fs::path& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  return ec ? fs::absolute(dir).lexically_normal() : p;
}

// The state file and the exclusive lock held while it is read and rewritten.
struct LockedState {
  UniqueFd lock;
  fs::path path;
  trust::TrustState state;
};

Result<LockedState> lock_state() {
  TRY(const fs::path path, trust_state_path());
  std::error_code ec;
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) return input_error("cannot create the trust state directory " + path.parent_path().string());
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
  }
  const std::string lock_path = path.string() + ".lock";
  LockedState out{UniqueFd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)), path, {}};
  if (out.lock.get() < 0) return input_error("cannot open the trust state lock " + lock_path);
  if (::flock(out.lock.get(), LOCK_EX) != 0) return input_error("cannot lock the trust state " + path.string());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return out;  // nothing pinned yet
    return input_error("cannot stat the trust state " + path.string());
  }
  // Whoever may write it may roll every trust root back.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 || st.st_uid != ::geteuid()) {
    return input_error("trust state " + path.string() +
                       " is writable by group or others, or owned by another user; run: chmod 600 " + path.string());
  }
  TRY(const std::string text, read_text_file(path, trust::kMaxTrustState));
  auto state = trust::parse_trust_state(text);
  if (!state) return state.error().with_context(path.string());
  out.state = std::move(*state);
  return out;
}

Status save(const LockedState& s, const trust::PinnedRoot& pin) {
  return atomic_write(s.path, trust::serialize_trust_state(trust::with_pin(s.state, pin)), 0600);
}

std::string describe(const fs::path& dir, const trust::TrustRoot& root) {
  return "trust root " + dir.string() + " (version " + std::to_string(root.version) + ", " + trust::root_digest(root) +
         ")";
}

// The refusal for a root that does not follow the pin, or an empty string.
std::string refusal(trust::PinCheck check, const fs::path& dir, const trust::TrustRoot& root,
                    const trust::PinnedRoot* pin, const fs::path& state) {
  switch (check) {
    case trust::PinCheck::unpinned:
      return describe(dir, root) +
             " is not pinned on this host: check its digest, then run chartprov trust init --pin "
             "--trust-dir " +
             dir.string() + " --digest " + trust::root_digest(root) + " (state: " + state.string() + ")";
    case trust::PinCheck::rollback:
      return describe(dir, root) + " is older than version " + std::to_string(pin->version) +
             ", which this host has accepted: a rollback is refused (state: " + state.string() + ")";
    case trust::PinCheck::conflict:
      return describe(dir, root) + " is not the version " + std::to_string(pin->version) + " this host has accepted (" +
             pin->digest + "): refused (state: " + state.string() + ")";
    case trust::PinCheck::same:
    case trust::PinCheck::newer: return "";
  }
  return "unknown pin check";
}

}  // namespace

Result<fs::path> trust_state_path() {
  const auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
  };
  if (const std::string p = env("CHARTPROV_TRUST_STATE"); !p.empty()) return fs::path(p);
  if (const std::string x = env("XDG_STATE_HOME"); !x.empty() && x.front() == '/')
    return fs::path(x) / "chartprov" / "trust-state.json";
  if (const std::string h = env("HOME"); !h.empty()) return fs::path(h) / ".local/state/chartprov/trust-state.json";
  return usage_error("no place for the trust state: give --trust-state FILE (or CHARTPROV_TRUST_STATE)");
}

Status check_pinned_root(const fs::path& dir, const trust::TrustRoot& root) {
  TRY(const LockedState s, lock_state());
  const fs::path key = state_key(dir);
  const trust::PinnedRoot* pin = s.state.find(key.string());
  const std::string digest = trust::root_digest(root);
  const trust::PinCheck check = trust::check_pin(pin, root.version, digest);
  if (const std::string why = refusal(check, dir, root, pin, s.path); !why.empty()) return input_error(why);
  if (check == trust::PinCheck::newer) TRY_STATUS(save(s, {key.string(), root.version, digest}));
  return ok_status();
}

Status pin_trust_root(const fs::path& dir, const trust::TrustRoot& root, PinMode mode) {
  TRY(const LockedState s, lock_state());
  const fs::path key = state_key(dir);
  const trust::PinnedRoot* pin = s.state.find(key.string());
  const std::string digest = trust::root_digest(root);
  const trust::PinCheck check = trust::check_pin(pin, root.version, digest);
  if (check == trust::PinCheck::same) return ok_status();
  if (mode == PinMode::follow && check != trust::PinCheck::unpinned) {
    if (const std::string why = refusal(check, dir, root, pin, s.path); !why.empty()) return input_error(why);
  }
  return save(s, {key.string(), root.version, digest});
}

Result<std::optional<trust::PinnedRoot>> find_pinned_root(const fs::path& dir) {
  TRY(const LockedState s, lock_state());
  const trust::PinnedRoot* pin = s.state.find(state_key(dir).string());
  if (pin == nullptr) return std::optional<trust::PinnedRoot>();
  return std::optional<trust::PinnedRoot>(*pin);
}

}  // namespace chartprov::app
