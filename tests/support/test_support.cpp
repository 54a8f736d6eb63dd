#include "support/test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chartprov::test {
namespace {

// Tests run from build/tests/: point the code at the helpers next to the
// chartprov binary, and keep the keyring cache out of $HOME.
struct TestEnvironment {
  TestEnvironment() {
    const std::string helper = std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-rnp";
    setenv("CHARTPROV_RNP", helper.c_str(), 0);
    const std::string oci = std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-oci";
    setenv("CHARTPROV_OCI", oci.c_str(), 0);
    std::string cache = (std::filesystem::temp_directory_path() / "chartprov-test-cache-XXXXXX").string();
    if (std::getenv("CHARTPROV_CACHE_DIR") == nullptr && mkdtemp(cache.data()) != nullptr) {
      setenv("CHARTPROV_CACHE_DIR", cache.c_str(), 1);
      owned_cache_ = cache;
    }
  }
  ~TestEnvironment() {
    std::error_code ec;
    if (!owned_cache_.empty()) std::filesystem::remove_all(owned_cache_, ec);
  }
  TestEnvironment(const TestEnvironment&) = delete;
  TestEnvironment& operator=(const TestEnvironment&) = delete;

 private:
  std::string owned_cache_;
};
const TestEnvironment kEnvironment;

}  // namespace

std::filesystem::path data(const std::string& relative) {
  return std::filesystem::path(CHARTPROV_TEST_DATA) / relative;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "chartprov-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::filesystem::path private_copy(const std::filesystem::path& source) {
  static const TempDir dir;
  static int n = 0;
  const auto to = dir / (std::to_string(++n) + "-" + source.filename().string());
  std::filesystem::copy_file(source, to, std::filesystem::copy_options::overwrite_existing);
  make_private(to);
  return to;
}

void make_private(const std::filesystem::path& p) {
  std::filesystem::permissions(p, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace chartprov::test
