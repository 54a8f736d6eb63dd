#include "util/temp_dir.hpp"

#include <stdlib.h>

#include <string>

namespace chartprov {

Result<TempDir> TempDir::create(std::string_view prefix, const std::filesystem::path& parent) {
  std::error_code ec;
  const std::filesystem::path base = parent.empty() ? std::filesystem::temp_directory_path(ec) : parent;
  if (ec) return input_error("no temporary directory: " + ec.message());
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  // mkdtemp creates the directory 0700.
  if (::mkdtemp(pattern.data()) == nullptr) return input_error("cannot create a private directory in " + base.string());
  return TempDir(pattern);
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace chartprov
