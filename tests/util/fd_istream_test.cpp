// The descriptor-backed stream verify-repo reads index.yaml through: a parser
// that reads the stream twice (the text check, then the YAML parser) gets the
// same bytes the second time, wherever the first pass stopped.
#include "util/fd_istream.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

TEST(FdIstream, ReadsTheSameBytesAfterASeekBack) {
  test::TempDir dir;
  const auto path = dir / "index.yaml";
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i) + " caf\xC3\xA9\n";  // over one buffer
  std::ofstream(path, std::ios::binary) << text;
  auto fd = open_regular_file(path);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  FdIstream in(std::move(*fd));
  std::string first;
  ASSERT_TRUE(std::getline(in, first));
  const auto start = in.tellg();
  EXPECT_EQ(start, static_cast<std::streamoff>(first.size() + 1));
  std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(first + "\n" + rest, text);
  in.clear();
  in.seekg(start);
  std::string again((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(again, rest);
  EXPECT_FALSE(in.read_failed());
}

}  // namespace
}  // namespace chartprov
