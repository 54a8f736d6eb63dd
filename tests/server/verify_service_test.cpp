// What a request may name: chart files only below the chart root (no
// absolute paths, no '..', no symlink out), environments as metrics-safe names.
#include "server/verify_service.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chartprov::server {
namespace {

TEST(ChartRoot, OnlyFilesBelowTheRoot) {
  test::TempDir dir;
  std::filesystem::create_directories(dir / "root/sub");
  test::write_text(dir / "root/web.tgz", "x");
  test::write_text(dir / "root/sub/api.tgz", "x");
  test::write_text(dir / "secret.tgz", "x");
  std::filesystem::create_symlink("../secret.tgz", dir / "root/out.tgz");
  std::filesystem::create_symlink("web.tgz", dir / "root/alias.tgz");
  std::filesystem::create_symlink("..", dir / "root/up");
  const auto root = dir / "root";
  const auto canon = std::filesystem::canonical(root);
  EXPECT_EQ(*resolve_chart_file(root, "web.tgz"), canon / "web.tgz");
  EXPECT_EQ(*resolve_chart_file(root, "./sub/api.tgz"), canon / "sub/api.tgz");
  EXPECT_EQ(*resolve_chart_file(root, "alias.tgz"), canon / "web.tgz") << "a symlink inside the root is fine";
  for (const char* bad :
       {"", "../secret.tgz", "sub/../../secret.tgz", "out.tgz", "up/secret.tgz", "sub", "missing.tgz"}) {
    EXPECT_FALSE(resolve_chart_file(root, bad).ok()) << bad;
  }
  EXPECT_FALSE(resolve_chart_file(root, (dir / "secret.tgz").string()).ok()) << "absolute";
  EXPECT_FALSE(resolve_chart_file(root, std::string("web.tgz\0x", 9)).ok()) << "NUL";
  EXPECT_FALSE(resolve_chart_file(root, std::string(2000, 'a')).ok());
}

TEST(Environment, NamesAreBoundedAndPlain) {
  for (const char* ok : {"production", "prod-eu.1", "a", "Staging_2"}) EXPECT_TRUE(valid_environment_name(ok)) << ok;
  for (const char* bad : {"", "-x", ".x", "a b", "a\"b", "a\nb", "é", "a/b"})
    EXPECT_FALSE(valid_environment_name(bad)) << bad;
  EXPECT_TRUE(valid_environment_name(std::string(63, 'a')));
  EXPECT_FALSE(valid_environment_name(std::string(64, 'a')));
}

}  // namespace
}  // namespace chartprov::server
