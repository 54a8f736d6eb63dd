// Private temporary directories: removed by their owner, and, when the owner
// was killed before it could remove one, by the next create() of the same
// kind -- never one whose owner is still alive.
#include "util/temp_dir.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <optional>

#include "support/test_support.hpp"

namespace chartprov {
namespace {

namespace fs = std::filesystem;

void age(const fs::path& dir, std::time_t seconds) {
  const timespec then{std::time(nullptr) - seconds, 0};
  const timespec times[2] = {then, then};
  ASSERT_EQ(::utimensat(AT_FDCWD, dir.c_str(), times, 0), 0);
}

// A child creates a directory and dies without its destructors (as SIGKILL would).
fs::path made_by_a_killed_process(const fs::path& parent) {
  const fs::path marker = parent / "child-made";
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto d = TempDir::create("chartprov-verify", parent);
    if (d.ok()) {
      test::write_text(d->path() / "chart.tgz", "staged");
      fs::create_symlink(d->path(), marker);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return fs::read_symlink(marker);
}

TEST(TempDir, TheOwnerRemovesIt) {
  test::TempDir parent;
  fs::path p;
  {
    auto d = TempDir::create("chartprov-verify", parent.path());
    ASSERT_TRUE(d.ok()) << d.error().message;
    p = d->path();
    EXPECT_TRUE(fs::is_directory(p));
    EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms::owner_all);
  }
  EXPECT_FALSE(fs::exists(p));
}

TEST(TempDir, TheNextStartRemovesWhatAKilledProcessLeft) {
  test::TempDir parent;
  const fs::path left = made_by_a_killed_process(parent.path());
  ASSERT_TRUE(fs::exists(left / "chart.tgz"));
  age(left, 120);
  auto next = TempDir::create("chartprov-verify", parent.path());
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_FALSE(fs::exists(left));
}

TEST(TempDir, ALiveOwnersDirectoryAndOtherNamesAreLeftAlone) {
  test::TempDir parent;
  auto live = TempDir::create("chartprov-verify", parent.path());
  ASSERT_TRUE(live.ok()) << live.error().message;
  age(live->path(), 3600);
  const fs::path fresh = made_by_a_killed_process(parent.path());  // abandoned seconds ago
  const fs::path other = parent / "chartprov-other-abcdef";
  const fs::path longer = parent / "chartprov-verify-abcdefg";
  fs::create_directory(other);
  fs::create_directory(longer);
  age(other, 3600);
  age(longer, 3600);
  auto next = TempDir::create("chartprov-verify", parent.path());
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_TRUE(fs::exists(live->path()));
  EXPECT_TRUE(fs::exists(fresh));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(longer));
}

}  // namespace
}  // namespace chartprov
