// package_chart: Helm's layout (checked against real helm v4 on the same
// directories), reproducibility, .helmignore, symlinks and refusals.
#include "chart/package.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>

#include "chart/peer_helm.hpp"
#include "chart/tar_builder.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::chart {
namespace {

namespace fs = std::filesystem;

// A writable copy of a vector chart directory.
fs::path copy_chart(const fs::path& from, const fs::path& to) {
  fs::copy(from, to, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(to)) {
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
  }
  fs::permissions(to, fs::perms::owner_write, fs::perm_options::add);
  return to;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  test::write_text(p, text);
}

std::string header_field(const test::TarBytes& tar, std::size_t block, std::size_t off, std::size_t len) {
  return std::string(reinterpret_cast<const char*>(tar.data() + block * 512 + off), len);
}

Result<PackagedChart> package(const fs::path& dir, std::optional<std::uint64_t> mtime = std::nullopt) {
  PackageOptions o;
  o.mtime = mtime;
  return package_chart(dir, o);
}

void expect_refused(const Result<PackagedChart>& r, const std::string& needle) {
  ASSERT_FALSE(r.ok()) << "accepted, expected: " << needle;
  EXPECT_NE(r.error().message.find(needle), std::string::npos) << "message: " << r.error().message;
}

TEST(Package, DemoHasHelmsEntryList) {
  const auto p = package(test::data("helm/generated/chart/demo"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto helm = read_chart_archive(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz"));
  ASSERT_TRUE(helm.ok());
  EXPECT_EQ(p->entries, helm->files);
  EXPECT_EQ(p->file_name, "demo-0.1.0.tgz");
  EXPECT_EQ(p->metadata.app_version, "1.16.0");
  EXPECT_EQ(p->sha256_hex.size(), 64u);
}

TEST(Package, RichHasHelmsEntryList) {
  const auto p = package(test::data("helm/generated/chart/rich"));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto helm = read_chart_archive(test::data("helm/generated/cases/ok-rich/rich-0.2.0+build.7.tgz"));
  ASSERT_TRUE(helm.ok());
  EXPECT_EQ(p->entries, helm->files);
  EXPECT_EQ(p->file_name, "rich-0.2.0+build.7.tgz");
}

TEST(Package, ByteReproducibleWhateverTheMtimes) {
  test::TempDir tmp;
  const fs::path a = copy_chart(test::data("helm/generated/chart/demo"), tmp / "a");
  const auto first = package(a);
  const auto second = package(a);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->tgz, second->tgz);
  // Touch every file with a different time: same bytes.
  std::int64_t t = 1000000000;
  for (const auto& e : fs::recursive_directory_iterator(a)) {
    fs::last_write_time(e.path(), fs::file_time_type(std::chrono::seconds(t += 77777)));
  }
  const auto touched = package(a);
  ASSERT_TRUE(touched.ok());
  EXPECT_EQ(touched->tgz, first->tgz);
  EXPECT_EQ(touched->sha256_hex, first->sha256_hex);
  // SOURCE_DATE_EPOCH changes the tar mtimes, deterministically.
  const auto epoch = package(a, 1700000000);
  ASSERT_TRUE(epoch.ok());
  EXPECT_NE(epoch->tgz, first->tgz);
  EXPECT_EQ(package(a, 1700000000)->tgz, epoch->tgz);
  const test::TarBytes tar = test::gunzip_bytes(epoch->tgz);
  EXPECT_EQ(header_field(tar, 0, 136, 12), std::string("14524770400\0", 12));  // octal 1700000000
  const test::TarBytes dflt = test::gunzip_bytes(first->tgz);
  EXPECT_EQ(header_field(dflt, 0, 136, 12), std::string("02263523000\0", 12));  // 1980-01-01
}

TEST(Package, HeaderAndGzipFormat) {
  test::TempDir tmp;
  const fs::path c = tmp / "c";
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
  write(c / "run.sh", "#!/bin/sh\n");
  fs::permissions(c / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
  const auto p = package(c);
  ASSERT_TRUE(p.ok()) << p.error().message;
  // gzip: deflate, no flags, mtime 0, max compression, Unix.
  const std::uint8_t gz_header[] = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0x03};
  ASSERT_GE(p->tgz.size(), 10u);
  EXPECT_EQ(std::memcmp(p->tgz.data(), gz_header, 10), 0);
  const test::TarBytes tar = test::gunzip_bytes(p->tgz);
  ASSERT_EQ(tar.size(), 6u * 512);  // 2 headers, 2 data blocks, 2 end blocks: no directory entries
  EXPECT_EQ(header_field(tar, 0, 0, 12), std::string("c/Chart.yaml"));
  EXPECT_EQ(header_field(tar, 0, 100, 8), std::string("0000644\0", 8));
  EXPECT_EQ(header_field(tar, 0, 108, 16), std::string("0000000\0"
                                                       "0000000\0",
                                                       16));
  EXPECT_EQ(header_field(tar, 0, 156, 1), "0");
  EXPECT_EQ(header_field(tar, 0, 257, 8), std::string("ustar\0"
                                                      "00",
                                                      8));
  EXPECT_EQ(header_field(tar, 0, 265, 64), std::string(64, '\0'));  // no uname / gname
  EXPECT_EQ(header_field(tar, 2, 0, 8), "c/run.sh");
  EXPECT_EQ(header_field(tar, 2, 100, 8), std::string("0000755\0", 8));
}

TEST(Package, LongAndNonAsciiNamesRoundTrip) {
  test::TempDir tmp;
  const fs::path c = tmp / "c";
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
  const std::string long_dir = "files/" + std::string(90, 'd');
  write(c / long_dir / (std::string(80, 'f') + ".txt"), "split into prefix and name");
  write(c / "files" / (std::string(120, 'x') + ".txt"), "needs a pax record");
  write(c / "files" / "café.txt", "non-ASCII needs a pax record");
  const auto p = package(c);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const auto back = read_chart_archive_bytes(p->tgz);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->files, p->entries);
  EXPECT_EQ(back->files.size(), 4u);
}

// The same directories packaged by real helm v4 and by us: same entries, same order.
TEST(Package, SameEntriesAsHelmOnTrickyDirectories) {
  if (!test::helm_available()) GTEST_SKIP() << "helm peer not installed";
  test::TempDir tmp;
  struct Fixture {
    std::string name;
    std::string helmignore;  // "" = none
    bool refused = false;    // by helm and by us
  };
  const std::vector<Fixture> fixtures = {
      {"plain", ""},
      {"basenames", "*.md\n# comment\n\n*.bak\n"},
      {"dironly", "docs/\nREADME.md/\n"},
      {"paths", "templates/a/*\n/README.md\ncharts/sub/templates/\n"},
      {"negation", "!*.yaml\n"},
      {"negation-then-rule", "!*.yaml\nvalues.yaml\n"},
      {"negated-dir", "!templates/\n", true},  // ignores every file, Chart.yaml too
      {"classes", "[Rr]EADME.*\ntemplates/a-?.yaml\n"},
  };
  for (const Fixture& f : fixtures) {
    SCOPED_TRACE(f.name);
    const fs::path c = tmp / f.name / "c";
    write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
    write(c / "Chart.lock", "dependencies: []\ndigest: sha256:00\ngenerated: \"2020-01-01T00:00:00Z\"\n");
    write(c / "values.yaml", "a: 1\n");
    write(c / "values.schema.json", "{}\n");
    write(c / "README.md", "readme\n");
    write(c / "notes.bak", "backup\n");
    write(c / "docs/guide.md", "guide\n");
    write(c / "templates/a/x.yaml", "x: 1\n");  // walk order puts a/ before a-b.yaml
    write(c / "templates/a-b.yaml", "y: 1\n");
    write(c / "templates/.hidden", "default rule\n");
    write(c / "templates/z/.hidden-deeper", "kept\n");
    write(c / "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    write(c / "charts/sub/values.yaml", "s: 1\n");
    write(c / "charts/sub/templates/t.yaml", "t: 1\n");
    write(c / "charts/sub/zz.txt", "file in subchart\n");
    write(c / "charts/asub/Chart.yaml", "apiVersion: v2\nname: asub\nversion: 0.2.0\n");
    write(c / "charts/x.prov", "kept as a file\n");
    write(c / "charts/_skip/f", "dropped by helm\n");
    write(c / "charts/.dot", "dropped by helm\n");
    if (!f.helmignore.empty()) write(c / ".helmignore", f.helmignore);

    const auto ours = package(c);
    const fs::path out = tmp / f.name / "helm-out";
    if (f.refused) {
      expect_refused(ours, "Chart.yaml is excluded by .helmignore");
      EXPECT_NE(test::run_helm({"package", c.string(), "-d", out.string()}, tmp.path(), tmp / "helm.log"), 0);
      continue;
    }
    ASSERT_TRUE(ours.ok()) << ours.error().message;
    ASSERT_EQ(test::run_helm({"package", c.string(), "-d", out.string()}, tmp.path(), tmp / "helm.log"), 0)
        << test::read_text(tmp / "helm.log");
    const auto theirs = read_chart_archive(out / "c-1.0.0.tgz");
    ASSERT_TRUE(theirs.ok()) << theirs.error().message;
    // Helm orders subcharts in Go map order; compare the top chart in order
    // and the subcharts as sets.
    auto split = [](const std::vector<std::string>& v, std::vector<std::string>& top, std::set<std::string>& subs) {
      for (const std::string& s : v) {
        if (s.starts_with("c/charts/") && !s.ends_with(".prov")) {
          subs.insert(s);
        } else {
          top.push_back(s);
        }
      }
    };
    std::vector<std::string> our_top, their_top;
    std::set<std::string> our_subs, their_subs;
    split(ours->entries, our_top, our_subs);
    split(theirs->files, their_top, their_subs);
    EXPECT_EQ(our_top, their_top);
    EXPECT_EQ(our_subs, their_subs);
  }
}

TEST(Package, HelmReadsOurPackage) {
  if (!test::helm_available()) GTEST_SKIP() << "helm peer not installed";
  test::TempDir tmp;
  for (const char* name : {"demo", "rich"}) {
    SCOPED_TRACE(name);
    const auto p = package(test::data(std::string("helm/generated/chart/") + name));
    ASSERT_TRUE(p.ok()) << p.error().message;
    const fs::path tgz = tmp / p->file_name;
    ASSERT_TRUE(atomic_write(tgz, ByteView(p->tgz.data(), p->tgz.size())).ok());
    EXPECT_EQ(test::run_helm({"template", "rel", tgz.string()}, tmp.path(), tmp / "helm.log"), 0)
        << test::read_text(tmp / "helm.log");
    EXPECT_EQ(test::run_helm({"lint", tgz.string()}, tmp.path(), tmp / "helm.log"), 0)
        << test::read_text(tmp / "helm.log");
    EXPECT_EQ(test::run_helm({"show", "chart", tgz.string()}, tmp.path(), tmp / "show.log"), 0);
    EXPECT_NE(test::read_text(tmp / "show.log").find(std::string("name: ") + name), std::string::npos);
  }
}

TEST(Package, TgzSubchartIsKeptAsAFileAfterValidation) {
  test::TempDir tmp;
  const fs::path s = tmp / "s";
  write(s / "Chart.yaml", "apiVersion: v2\nname: s\nversion: 0.1.0\n");
  const auto sub = package(s);
  ASSERT_TRUE(sub.ok());
  const fs::path c = tmp / "c";
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
  fs::create_directories(c / "charts");
  ASSERT_TRUE(atomic_write(c / "charts" / sub->file_name, ByteView(sub->tgz.data(), sub->tgz.size())).ok());
  const auto p = package(c);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->entries, (std::vector<std::string>{"c/Chart.yaml", "c/charts/s-0.1.0.tgz"}));
  write(c / "charts/broken-1.0.0.tgz", "not gzip");
  expect_refused(package(c), "cannot package subchart 'charts/broken-1.0.0.tgz': ");
  expect_refused(package(c), "broken-1.0.0.tgz: not a gzip file");
}

TEST(Package, Symlinks) {
  test::TempDir tmp;
  const fs::path c = tmp / "c";
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
  write(c / "real/data.txt", "data\n");
  fs::create_symlink("real/data.txt", c / "link.txt");
  fs::create_directory_symlink("real", c / "linkdir");
  const auto p = package(c);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->entries,
            (std::vector<std::string>{"c/Chart.yaml", "c/link.txt", "c/linkdir/data.txt", "c/real/data.txt"}));

  write(tmp / "outside.txt", "secret\n");
  fs::create_symlink(tmp / "outside.txt", c / "escape.txt");
  expect_refused(package(c), "symlink 'escape.txt' points outside the chart directory");
  fs::remove(c / "escape.txt");
  fs::create_symlink("/etc/passwd", c / "pw");
  expect_refused(package(c), "symlink 'pw' points outside the chart directory (to /etc/passwd)");
  fs::remove(c / "pw");
  fs::create_directory_symlink("..", c / "real/up");
  expect_refused(package(c), "symlink loop at 'linkdir/up'");  // walk order: linkdir before real
  fs::remove(c / "real/up");
  fs::create_symlink("missing", c / "dangling");
  expect_refused(package(c), "symlink 'dangling' cannot be resolved");
  // An ignored symlink is never followed.
  fs::create_symlink("/etc/passwd", c / "pw");
  write(c / ".helmignore", "dangling\npw\n");
  const auto ignored = package(c);
  ASSERT_TRUE(ignored.ok()) << ignored.error().message;
  EXPECT_EQ(ignored->entries, (std::vector<std::string>{"c/Chart.yaml", "c/.helmignore", "c/link.txt",
                                                        "c/linkdir/data.txt", "c/real/data.txt"}));
}

TEST(Package, Refusals) {
  test::TempDir tmp;
  const fs::path c = tmp / "c";
  fs::create_directories(c);
  expect_refused(package(c), "no Chart.yaml");
  expect_refused(package(tmp / "missing"), "cannot open chart directory");
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0\n");
  const auto bad = package(c);
  expect_refused(bad, (c / "Chart.yaml").string() + ": Chart.yaml: version:");
  write(c / "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
  write(c / ".helmignore", "Chart.yaml\n");
  expect_refused(package(c), "Chart.yaml is excluded by .helmignore");
  write(c / ".helmignore", "**/x\n");
  expect_refused(package(c), ".helmignore line 1: double-star");
  fs::remove(c / ".helmignore");

  write(c / "charts/README.md", "not a chart\n");
  expect_refused(package(c), "'charts/README.md' is neither a chart directory nor a .tgz chart archive");
  fs::remove(c / "charts/README.md");
  write(c / "charts/nochart/values.yaml", "");
  expect_refused(package(c), "subchart 'charts/nochart' has no Chart.yaml");
  write(c / "charts/nochart/Chart.yaml", "apiVersion: v2\nname: nochart\n");
  expect_refused(package(c), "charts/nochart/Chart.yaml: Chart.yaml: version: is required");
  fs::remove_all(c / "charts");

  ASSERT_EQ(::mkfifo((c / "pipe").c_str(), 0600), 0);
  expect_refused(package(c), "cannot package 'pipe': it is a FIFO");
  write(c / ".helmignore", "pipe\n");
  EXPECT_TRUE(package(c).ok());
  write(c / "big.bin", std::string((5u << 20) + 1, 'b'));
  expect_refused(package(c), "cannot package 'big.bin': 5242881 bytes (per-file limit 5242880)");
  fs::remove(c / "big.bin");
  write(c / "bad\\name", "");
  expect_refused(package(c), "contains a backslash");
}

TEST(Package, SourceDateEpoch) {
  EXPECT_FALSE(parse_source_date_epoch(nullptr)->has_value());
  EXPECT_FALSE(parse_source_date_epoch("")->has_value());
  EXPECT_EQ(parse_source_date_epoch("1700000000")->value(), 1700000000u);
  EXPECT_EQ(parse_source_date_epoch("0")->value(), 0u);
  EXPECT_FALSE(parse_source_date_epoch("-1").ok());
  EXPECT_FALSE(parse_source_date_epoch("12abc").ok());
  EXPECT_FALSE(parse_source_date_epoch("99999999999").ok());  // beyond a tar header's 11 octal digits
}

}  // namespace
}  // namespace chartprov::chart
