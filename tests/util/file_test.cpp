#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/test_support.hpp"
#include "util/file.hpp"

using namespace chartprov;

TEST(AtomicWrite, WritesWithModeAndLeavesNoTemp) {
  test::TempDir dir;
  const auto p = dir / "out.txt";
  ASSERT_TRUE(atomic_write(p, std::string_view("hello"), 0600).ok());
  EXPECT_EQ(test::read_text(p), "hello");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(AtomicWrite, FailsCleanlyInMissingDir) {
  test::TempDir dir;
  const auto r = atomic_write(dir / "nope" / "x", std::string_view("x"));
  EXPECT_FALSE(r.ok());
}

TEST(ReadFile, BoundsAndTypes) {
  test::TempDir dir;
  test::write_text(dir / "a", "12345");
  EXPECT_EQ(read_file(dir / "a")->size(), 5u);
  const auto big = read_file(dir / "a", 4);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("too large"), std::string::npos);
  EXPECT_FALSE(read_file(dir.path()).ok());
  EXPECT_FALSE(read_file(dir / "missing").ok());
}

TEST(PrivatePermissions, RefusesGroupReadable) {
  test::TempDir dir;
  const auto p = dir / "k";
  ASSERT_TRUE(atomic_write(p, std::string_view("k"), 0640).ok());
  const auto r = check_private_file_permissions(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chmod 600"), std::string::npos);
  ::chmod(p.c_str(), 0600);
  EXPECT_TRUE(check_private_file_permissions(p).ok());
}
