#pragma once
// Shared helpers for the GoogleTest suites: test data paths and temp dirs.
#include <filesystem>
#include <string>

namespace chartprov::test {

// Absolute path of a file under tests/data.
std::filesystem::path data(const std::string& relative);

// A fresh private directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_text(const std::filesystem::path& p);
void write_text(const std::filesystem::path& p, const std::string& text);

// A secret input as chartprov requires it (mode 0600: secret keyrings, key
// files): `source` (e.g. a file of tests/data, checked out 0644) copied into a
// private directory that lives as long as the test process.
std::filesystem::path private_copy(const std::filesystem::path& source);
// `p` made mode 0600 (a secret keyring a test wrote itself).
void make_private(const std::filesystem::path& p);

}  // namespace chartprov::test
