// Several outputs written as one step (sign's envelopes, cosign key pairs).
#include "app/helpers/blob_staged_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/test_support.hpp"

namespace chartprov {
namespace {

std::size_t entries(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(StagedFiles, AllAreWrittenWithTheirModes) {
  test::TempDir dir;
  ASSERT_TRUE(app::write_all_or_nothing({{dir / "a.key", "secret", 0600}, {dir / "a.pub", "public", 0644}}).ok());
  EXPECT_EQ(test::read_text(dir / "a.key"), "secret");
  EXPECT_EQ(test::read_text(dir / "a.pub"), "public");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "a.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(entries(dir.path()), 2u);  // no temporary left
}

TEST(StagedFiles, AFailureLeavesNothingNewAndNothingChanged) {
  test::TempDir dir;
  test::write_text(dir / "chart.tgz.prov", "old prov");
  const auto r = app::write_all_or_nothing(
      {{dir / "chart.tgz.prov", "new prov", 0644}, {dir / "missing-dir" / "chart.tgz.sig", "sig", 0644}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nothing was written"), std::string::npos) << r.error().message;
  EXPECT_EQ(test::read_text(dir / "chart.tgz.prov"), "old prov");
  EXPECT_EQ(entries(dir.path()), 1u);
}

}  // namespace
}  // namespace chartprov
