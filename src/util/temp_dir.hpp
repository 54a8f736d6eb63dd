#pragma once
// A private (0700) temporary directory, removed with everything in it when
// the owner goes out of scope. For staging bytes that only we may write.
#include <filesystem>
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

class TempDir {
 public:
  // Creates PARENT/PREFIX-XXXXXX (parent: the system temp dir when empty).
  static Result<TempDir> create(std::string_view prefix, const std::filesystem::path& parent = {});
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace chartprov
