#pragma once
// A private (0700) temporary directory, removed with everything in it when
// the owner goes out of scope. For staging bytes that only we may write.
//
// A process that is killed (SIGKILL, OOM, a hung run stopped by its
// supervisor) never runs the destructor, so each directory carries an
// exclusive flock for as long as its owner lives, and create() first removes
// the directories of the same prefix that a dead owner left behind.
#include <filesystem>
#include <string_view>

#include "util/fd.hpp"
#include "util/result.hpp"

namespace chartprov {

class TempDir {
 public:
  // Creates PARENT/PREFIX-XXXXXX (parent: the system temp dir when empty) and
  // locks it. Before that, removes each PARENT/PREFIX-XXXXXX directory that
  // is owned by this user, is not locked (its owner is gone), and has not
  // changed for a minute (so one that is being created is left alone).
  // Refused: no temporary directory, or mkdtemp/open/flock failing.
  static Result<TempDir> create(std::string_view prefix, const std::filesystem::path& parent = {});
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  TempDir(std::filesystem::path path, UniqueFd lock) : path_(std::move(path)), lock_(std::move(lock)) {}
  std::filesystem::path path_;
  UniqueFd lock_;  // open on the directory, holding its flock
};

}  // namespace chartprov
