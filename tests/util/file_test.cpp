#include "util/file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "support/test_support.hpp"
#include "util/secret_permissions.hpp"

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

// A FIFO named like a signature once blocked open() until a writer came: verify, the gate and every
// serve worker hung. The reader must answer at once, without a writer.
TEST(ReadFile, AFifoIsRefusedWithoutWaitingForAWriter) {
  test::TempDir dir;
  const auto fifo = dir / "chart-0.1.0.tgz.sig";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto pending = std::async(std::launch::async, [&] { return read_file(fifo); });
  const bool answered = pending.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  if (!answered) {  // unblock the reader so that the test can end
    const int w = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (w >= 0) ::close(w);
  }
  ASSERT_TRUE(answered) << "read_file waited on a FIFO";
  const auto r = pending.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, fifo.string() + " is not a regular file");
  const auto opened = open_regular_file(fifo);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().message, fifo.string() + " is not a regular file");
}

TEST(ReadFile, TheDescriptorOfARegularFileBlocksAgain) {
  test::TempDir dir;
  test::write_text(dir / "a", "x");
  const auto fd = open_regular_file(dir / "a");
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_EQ(::fcntl(fd->get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_EQ(open_regular_file(dir.path()).error().message, dir.path().string() + " is a directory, not a file");
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

// Issue 14 finding 9: the key file rule holds for every secret input.
TEST(PrivatePermissions, EverySecretFileByTheSameRule) {
  test::TempDir dir;
  const auto p = dir / "secring.gpg";
  ASSERT_TRUE(atomic_write(p, std::string_view("s"), 0644).ok());
  const auto r = check_secret_file_permissions(p, "secret keyring");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "secret keyring " + p.string() +
                                   " is accessible by group or others (mode 0644); run: chmod 600 " + p.string());
  ::chmod(p.c_str(), 0602);
  EXPECT_FALSE(check_secret_file_permissions(p, "secret keyring").ok());
  ::chmod(p.c_str(), 0600);
  EXPECT_TRUE(check_secret_file_permissions(p, "secret keyring").ok());
  EXPECT_FALSE(check_secret_file_permissions(dir.path(), "secret keyring").ok());  // not a regular file
  EXPECT_FALSE(check_secret_file_permissions(dir / "missing", "secret keyring").ok());
}

TEST(PrivatePermissions, SecretDirectoriesAreOwnerOnly) {
  test::TempDir dir;
  const auto home = dir / "gnupg";
  ASSERT_EQ(::mkdir(home.c_str(), 0755), 0);
  ::chmod(home.c_str(), 0755);
  const auto r = check_secret_dir_permissions(home, "GnuPG home");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("GnuPG home " + home.string() +
                                   " is accessible by group or others (mode 0755); "
                                   "run: chmod 700"),
            std::string::npos);
  ::chmod(home.c_str(), 0710);
  EXPECT_FALSE(check_secret_dir_permissions(home, "GnuPG home").ok());
  ::chmod(home.c_str(), 0700);
  EXPECT_TRUE(check_secret_dir_permissions(home, "GnuPG home").ok());
  test::write_text(dir / "f", "x");
  EXPECT_FALSE(check_secret_dir_permissions(dir / "f", "GnuPG home").ok());  // not a directory
}
