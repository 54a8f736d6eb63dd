// The chart archive reader: real Helm packages (known digests), the rich
// chart, and hand-made malicious archives, each refused with its own reason.
#include "chart/archive_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "chart/tar_builder.hpp"
#include "infra/openssl/digest.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::chart {
namespace {

using test::gzip_bytes;
using test::minimal_chart_yaml;
using test::TarBuilder;
using test::TarBytes;
using test::TarHeader;

Result<ChartArchive> read(const TarBytes& tgz, const ArchiveLimits& limits = {}) {
  return read_chart_archive_bytes(ByteView(tgz.data(), tgz.size()), limits);
}

// Asserts a refusal whose message contains `needle`.
void expect_refused(const Result<ChartArchive>& r, const std::string& needle) {
  ASSERT_FALSE(r.ok()) << "accepted, expected: " << needle;
  EXPECT_NE(r.error().message.find(needle), std::string::npos) << "message: " << r.error().message;
  EXPECT_EQ(r.error().kind, ErrorKind::kInput) << r.error().message;
}

TarBuilder demo_tar() {
  TarBuilder t;
  t.file("demo/Chart.yaml", minimal_chart_yaml()).file("demo/values.yaml", "a: 1\n");
  return t;
}

// Files Helm v4 packaged from tests/data/helm/generated/chart/demo.
const std::vector<std::string> kDemoFiles = {
    "demo/Chart.yaml",
    "demo/values.yaml",
    "demo/templates/NOTES.txt",
    "demo/templates/_helpers.tpl",
    "demo/templates/deployment.yaml",
    "demo/templates/hpa.yaml",
    "demo/templates/httproute.yaml",
    "demo/templates/ingress.yaml",
    "demo/templates/service.yaml",
    "demo/templates/serviceaccount.yaml",
    "demo/templates/tests/test-connection.yaml",
    "demo/.helmignore",
};

TEST(ArchiveReader, HelmV4DemoPackage) {
  const auto a = read_chart_archive(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  // sha256sum of the file.
  EXPECT_EQ(a->sha256_hex, "5cd21467d78f8baf4eed0d2015c9eb422481c5005ed8789059d9977c59fddf24");
  EXPECT_EQ(a->size, 4916u);
  EXPECT_EQ(a->uncompressed_size, 26624u);
  EXPECT_EQ(a->metadata.name, "demo");
  EXPECT_EQ(a->metadata.version, "0.1.0");
  EXPECT_EQ(a->metadata.api_version, "v2");
  EXPECT_EQ(a->metadata.app_version, "1.16.0");
  EXPECT_EQ(a->metadata.type, "application");
  EXPECT_EQ(a->metadata.description, "A Helm chart for Kubernetes");
  EXPECT_EQ(a->top_dir, "demo");
  EXPECT_EQ(a->entries, 12u);
  EXPECT_EQ(a->files, kDemoFiles);
  EXPECT_EQ(a->chart_yaml.size(), 119u);
  EXPECT_EQ(a->metadata.archive_name(), "demo-0.1.0.tgz");
}

TEST(ArchiveReader, RichChartWithBuildMetadataAndSubchart) {
  const auto a = read_chart_archive(test::data("helm/generated/cases/ok-rich/rich-0.2.0+build.7.tgz"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->sha256_hex, "478db13164995848402cc13569445bac46f971465e212bc520ff799157c3d50c");
  EXPECT_EQ(a->metadata.name, "rich");
  EXPECT_EQ(a->metadata.version, "0.2.0+build.7");
  EXPECT_EQ(a->metadata.archive_name(), "rich-0.2.0+build.7.tgz");
  EXPECT_EQ(a->metadata.app_version, "1.10");
  EXPECT_EQ(a->metadata.kube_version, ">=1.25.0-0");
  EXPECT_EQ(a->metadata.keywords, (std::vector<std::string>{"demo", "-dash-first", "yes"}));
  ASSERT_EQ(a->metadata.maintainers.size(), 1u);
  EXPECT_EQ(a->metadata.maintainers[0].email, "maintainer@example.invalid");
  ASSERT_EQ(a->metadata.dependencies.size(), 1u);
  const Dependency& d = a->metadata.dependencies[0];
  EXPECT_EQ(d.name, "sub");
  EXPECT_EQ(d.alias, "mysub");
  EXPECT_EQ(d.condition, "sub.enabled");
  EXPECT_EQ(d.tags, std::vector<std::string>{"backend"});
  ASSERT_EQ(d.import_values.size(), 1u);
  EXPECT_EQ(d.import_values[0].value, "data");
  ASSERT_EQ(a->metadata.annotations.size(), 2u);
  EXPECT_EQ(a->metadata.annotations[0].first, "artifacthub.io/changes");
  EXPECT_EQ(a->files, (std::vector<std::string>{"rich/Chart.yaml", "rich/values.yaml", "rich/templates/cm.yaml",
                                                "rich/charts/sub/Chart.yaml"}));
}

TEST(ArchiveReader, EveryVectorArchiveMatchesItsDigest) {
  // Distinct .tgz files among the vectors, sha256sum of each.
  const std::map<std::string, std::string> known = {
      {"ok-helm3-rsa3072/demo-0.1.0.tgz", "4732c0189e73ed1ad6c4c19ab55cc6a42dfbf0a13d2c8f86285d7f1cb408acca"},
      {"ok-helm3-nistp256/demo-0.1.0.tgz", "68eece17594bae8bf77bf51354f234e898224afcc49e5bda146b02c2699f2675"},
      {"upstream-msgblock-asc/hashtest-1.2.3.tgz", "c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888"},
      {"neg-signed-under-other-name/other-0.1.0.tgz",
       "5cd21467d78f8baf4eed0d2015c9eb422481c5005ed8789059d9977c59fddf24"},
  };
  for (const auto& [rel, sha] : known) {
    const auto a = read_chart_archive(test::data("helm/generated/cases/" + rel));
    ASSERT_TRUE(a.ok()) << rel << ": " << a.error().message;
    EXPECT_EQ(a->sha256_hex, sha) << rel;
  }
  // And every .tgz under cases/: valid ones read, digest equal to a one-shot hash.
  std::size_t read_ok = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::data("helm/generated/cases"))) {
    if (e.path().extension() != ".tgz") continue;
    const auto bytes = read_file(e.path());
    ASSERT_TRUE(bytes.ok());
    const auto a = read_chart_archive(e.path());
    if (e.path().parent_path().filename() == "neg-tampered-tgz") {
      expect_refused(a, "corrupt gzip stream: incorrect data check");
      continue;
    }
    ASSERT_TRUE(a.ok()) << e.path() << ": " << a.error().message;
    EXPECT_EQ(a->sha256_hex, hex_encode(crypto::sha256(*bytes))) << e.path();
    EXPECT_EQ(a->size, bytes->size());
    // The in-memory reader agrees with the file reader.
    const auto m = read_chart_archive_bytes(*bytes);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->sha256_hex, a->sha256_hex);
    EXPECT_EQ(m->files, a->files);
    // Helm names the file <name>-<version>.tgz (one vector renames it on purpose).
    if (e.path().filename() != "other-0.1.0.tgz") {
      EXPECT_EQ(a->metadata.archive_name(), e.path().filename().string());
    }
    ++read_ok;
  }
  EXPECT_GE(read_ok, 70u);
}

TEST(ArchiveReader, StreamingFileReadHashesEveryByteAndHandsEachChunkOn) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::data("helm/generated/cases"))) {
    if (e.path().extension() != ".tgz") continue;
    const auto bytes = read_file(e.path());
    ASSERT_TRUE(bytes.ok());
    Bytes seen;
    const auto r =
        read_chart_file(e.path(), {}, [&](ByteView chunk) { seen.insert(seen.end(), chunk.begin(), chunk.end()); });
    ASSERT_TRUE(r.ok()) << e.path() << ": " << r.error().message;
    EXPECT_EQ(seen, *bytes) << e.path();
    EXPECT_EQ(r->sha256_hex, hex_encode(crypto::sha256(*bytes))) << e.path();
    EXPECT_EQ(r->size, bytes->size());
    const auto whole = read_chart_archive(e.path());
    EXPECT_EQ(r->archive.ok(), whole.ok()) << e.path();
    if (whole.ok()) {
      EXPECT_EQ(r->archive->sha256_hex, whole->sha256_hex);
    } else {
      EXPECT_EQ(r->archive.error().message, whole.error().message);
    }
  }
  // A refused archive is still read (and hashed) to its end.
  const auto path = std::filesystem::temp_directory_path() / "chartprov-streaming-refused.tgz";
  const std::string garbage(200000, 'x');
  ASSERT_TRUE(atomic_write(path, garbage).ok());
  std::size_t seen = 0;
  const auto r = read_chart_file(path, {}, [&](ByteView chunk) { seen += chunk.size(); });
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->archive.ok());
  EXPECT_EQ(seen, garbage.size());
  EXPECT_EQ(r->sha256_hex, hex_encode(crypto::sha256(as_bytes(garbage))));
  EXPECT_FALSE(read_chart_file("/nonexistent/x.tgz", {}, nullptr).ok());
}

TEST(ArchiveReader, UpstreamHashtestWithExecutableModes) {
  const auto a = read_chart_archive(test::data("helm/upstream/pkg/provenance/testdata/hashtest-1.2.3.tgz"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->metadata.name, "hashtest");
  EXPECT_EQ(a->metadata.version, "1.2.3");
}

TEST(ArchiveReader, MinimalHandMadeArchive) {
  const auto a = read(gzip_bytes(demo_tar().end()));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->metadata.name, "demo");
  EXPECT_EQ(a->files.size(), 2u);
  EXPECT_EQ(a->chart_yaml, minimal_chart_yaml());
}

TEST(ArchiveReader, DirectoryEntriesAndGnuAndPaxNames) {
  TarBuilder t;
  t.dir("demo/").dir("demo/templates/");
  t.file("demo/Chart.yaml", minimal_chart_yaml());
  const std::string long_name = "demo/templates/" + std::string(150, 'a') + ".yaml";
  t.extended('L', long_name + std::string(1, '\0')).file("ignored-short-name", "x: 1\n");
  const std::string pax_name = "demo/" + std::string(120, 'p');
  t.extended('x', TarBuilder::pax_record("path", pax_name) + TarBuilder::pax_record("mtime", "1.5"));
  t.file("short", "hello");
  t.extended('g', TarBuilder::pax_record("comment", "global, ignored"));
  TarHeader prefixed;
  prefixed.prefix = "demo/templates";
  prefixed.name = "split.yaml";
  prefixed.size = 3;
  t.header(prefixed).data("a: ");
  const auto a = read(gzip_bytes(t.end()));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->entries, 6u);  // two directories, four files
  EXPECT_EQ(a->files, (std::vector<std::string>{"demo/Chart.yaml", long_name, pax_name, "demo/templates/split.yaml"}));
}

TEST(ArchiveReader, PaxSizeOverridesHeaderSize) {
  TarBuilder t;
  t.file("demo/Chart.yaml", minimal_chart_yaml());
  t.extended('x', TarBuilder::pax_record("size", "5"));
  TarHeader h;
  h.name = "demo/x";
  h.size = 0;  // pax says 5
  t.header(h).data("hello");
  ASSERT_TRUE(read(gzip_bytes(t.end())).ok());
}

// --- path rules ---

TEST(ArchiveReader, RefusesPathTraversal) {
  expect_refused(read(gzip_bytes(demo_tar().file("../x", "x").end())), "'../x' contains a '..' component");
  expect_refused(read(gzip_bytes(demo_tar().file("/etc/x", "x").end())), "'/etc/x' is an absolute path");
  expect_refused(read(gzip_bytes(demo_tar().file("demo/../../x", "x").end())), "contains a '..' component");
  expect_refused(read(gzip_bytes(demo_tar().file("demo/./x", "x").end())), "contains a '.' component");
  expect_refused(read(gzip_bytes(demo_tar().file("demo//x", "x").end())), "empty path component");
  expect_refused(read(gzip_bytes(demo_tar().file("demo\\..\\x", "x").end())), "contains a backslash");
  expect_refused(read(gzip_bytes(demo_tar().file("demo/a\nb", "x").end())), "control character");
  // A path smuggled through pax or a GNU long name gets the same checks.
  TarBuilder pax = demo_tar();
  pax.extended('x', TarBuilder::pax_record("path", "demo/../../etc/passwd")).file("demo/harmless", "x");
  expect_refused(read(gzip_bytes(pax.end())), "'demo/../../etc/passwd' contains a '..' component");
  TarBuilder gnu = demo_tar();
  gnu.extended('L', std::string("/etc/shadow\0", 12)).file("demo/harmless", "x");
  expect_refused(read(gzip_bytes(gnu.end())), "'/etc/shadow' is an absolute path");
  TarBuilder nul = demo_tar();
  nul.extended('L', std::string("demo/a\0b\0", 9)).file("demo/harmless", "x");
  expect_refused(read(gzip_bytes(nul.end())), "GNU long name contains a NUL byte");
  TarBuilder pax_nul = demo_tar();
  pax_nul.extended('x', TarBuilder::pax_record("path", std::string("demo/a\0b", 8))).file("demo/harmless", "x");
  expect_refused(read(gzip_bytes(pax_nul.end())), "path contains a NUL byte");
}

TEST(ArchiveReader, RefusesLinksDevicesAndFifos) {
  TarHeader link;
  link.name = "demo/templates/x.yaml";
  link.linkname = "/etc/passwd";
  link.type = '2';
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())),
                 "entry 'demo/templates/x.yaml' is a symbolic link (to '/etc/passwd'); links are refused");
  link.type = '1';
  link.linkname = "demo/values.yaml";
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())), "is a hard link (to 'demo/values.yaml')");
  link.type = '3';
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())), "is a character device");
  link.type = '4';
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())), "is a block device");
  link.type = '6';
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())), "is a FIFO");
  link.type = 'S';
  expect_refused(read(gzip_bytes(demo_tar().header(link).end())), "unsupported tar type 'S'");
}

TEST(ArchiveReader, RefusesSeveralTopLevelDirectories) {
  expect_refused(read(gzip_bytes(demo_tar().file("other/Chart.yaml", minimal_chart_yaml("other")).end())),
                 "entry 'other/Chart.yaml' is outside the top-level directory 'demo'");
  expect_refused(read(gzip_bytes(TarBuilder().file("Chart.yaml", minimal_chart_yaml()).end())),
                 "file 'Chart.yaml' is not inside a top-level directory");
}

TEST(ArchiveReader, RefusesDuplicates) {
  expect_refused(read(gzip_bytes(demo_tar().file("demo/Chart.yaml", minimal_chart_yaml("evil")).end())),
                 "duplicate entry 'demo/Chart.yaml'");
  expect_refused(read(gzip_bytes(demo_tar().file("demo/values.yaml/x", "").end())),
                 "is inside 'demo/values.yaml', which is a file");
  expect_refused(read(gzip_bytes(demo_tar().dir("demo/values.yaml/").end())), "is both a file and a directory");
  expect_refused(read(gzip_bytes(demo_tar().file("demo/t/a", "").file("demo/t", "").end())),
                 "entry 'demo/t' is both a file and a directory");
  expect_refused(
      read(gzip_bytes(TarBuilder().dir("demo/").dir("demo/").file("demo/Chart.yaml", minimal_chart_yaml()).end())),
      "duplicate directory entry 'demo/'");
}

TEST(ArchiveReader, RequiresOneChartYamlNamedLikeTheTopDirectory) {
  expect_refused(read(gzip_bytes(TarBuilder().file("demo/values.yaml", "").end())),
                 "the archive has no 'demo/Chart.yaml'");
  expect_refused(read(gzip_bytes(TarBuilder().file("demo/sub/Chart.yaml", minimal_chart_yaml()).end())),
                 "the archive has no 'demo/Chart.yaml'");
  expect_refused(read(gzip_bytes(TarBuilder().file("demo/Chart.yaml", minimal_chart_yaml("other")).end())),
                 "the top-level directory 'demo' differs from the chart name 'other'");
  ArchiveLimits lax;
  lax.require_top_dir_is_name = false;
  EXPECT_TRUE(read(gzip_bytes(TarBuilder().file("demo/Chart.yaml", minimal_chart_yaml("other")).end()), lax).ok());
  expect_refused(
      read(gzip_bytes(TarBuilder().file("demo/Chart.yaml", "apiVersion: v3\nname: demo\nversion: 1.0.0\n").end())),
      "v3 charts are not supported");
  expect_refused(read(gzip_bytes(TarBuilder().file("demo/Chart.yaml", std::string(1100000, '#')).end())),
                 "Chart.yaml is 1100000 bytes (limit 1048576)");
  expect_refused(read(gzip_bytes(TarBuilder().dir("demo/").end())), "the archive contains no files");
}

// --- limits ---

TEST(ArchiveReader, GzipBombOfZerosIsRefusedByRatio) {
  TarBytes zeros(50u << 20, 0);  // 50 MB of zeros: a valid (empty) tar followed by padding
  const TarBytes bomb = gzip_bytes(zeros, 9);
  ASSERT_LT(bomb.size(), 100000u);
  expect_refused(read(bomb), "decompression ratio above 200:1");
}

TEST(ArchiveReader, ManySmallFilesOfZerosHitTheRatioOrTotal) {
  TarBuilder t = demo_tar();
  for (int i = 0; i < 30; ++i) t.file("demo/z" + std::to_string(i), std::string(4u << 20, '\0'));
  expect_refused(read(gzip_bytes(t.end())), "decompression ratio above 200:1");
  ArchiveLimits no_ratio;
  no_ratio.max_ratio = 1u << 20;
  expect_refused(read(gzip_bytes(t), no_ratio), "the decompressed archive exceeds 104857600 bytes");
}

TEST(ArchiveReader, PerFileAndEntryLimits) {
  TarHeader big;
  big.name = "demo/big";
  big.size = (5u << 20) + 1;  // refused from the header, before any data
  expect_refused(read(gzip_bytes(demo_tar().header(big))), "file 'demo/big' is 5242881 bytes (per-file limit 5242880)");

  TarBuilder many = demo_tar();
  for (int i = 0; i < 10000; ++i) many.file("demo/f" + std::to_string(i), "");
  expect_refused(read(gzip_bytes(many.end())), "more than 10000 entries in the archive");

  ArchiveLimits small;
  small.max_path_length = 20;
  expect_refused(read(gzip_bytes(demo_tar().file("demo/" + std::string(30, 'n'), "").end()), small),
                 "has a name of 35 bytes (limit 20)");
  std::string deep = "demo";
  for (int i = 0; i < 40; ++i) deep += "/d";
  expect_refused(read(gzip_bytes(demo_tar().file(deep, "").end())), "is nested more than 32 levels deep");

  ArchiveLimits tight;
  tight.max_compressed_size = 100;
  expect_refused(read(gzip_bytes(demo_tar().end()), tight), "bytes (limit 100)");
}

// --- gzip and tar framing ---

TEST(ArchiveReader, RefusesNonGzipAndGarbage) {
  expect_refused(read(TarBytes{}), "empty file, not a gzip archive");
  expect_refused(read(demo_tar().end().bytes()), "not a gzip file");
  const std::string yaml = minimal_chart_yaml();
  expect_refused(read(TarBytes(yaml.begin(), yaml.end())), "not a gzip file");
  expect_refused(read(TarBytes{0x1f, 0x8b, 0x07, 0}), "unsupported gzip compression method 7");
  TarBytes noise(4096);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>(i * 131 + 7);
  noise[0] = 0x1f;
  noise[1] = 0x8b;
  noise[2] = 0x08;
  noise[3] = 0;
  expect_refused(read(noise), "corrupt gzip stream");
  // A gzip of something that is not a tar.
  const std::string text(1000, 'y');
  expect_refused(read(gzip_bytes(TarBytes(text.begin(), text.end()))), "not a tar archive");
}

TEST(ArchiveReader, RefusesTrailingDataAndSecondMembers) {
  TarBytes tgz = gzip_bytes(demo_tar().end());
  TarBytes trailing = tgz;
  trailing.push_back('x');
  expect_refused(read(trailing), "trailing data after the end of the gzip stream");
  TarBytes zero_pad = tgz;
  zero_pad.push_back(0);
  expect_refused(read(zero_pad), "trailing data after the end of the gzip stream");
  TarBytes two = tgz;
  const TarBytes second = gzip_bytes(TarBytes(512, 0));
  two.insert(two.end(), second.begin(), second.end());
  expect_refused(read(two), "a second gzip member follows the first");
  // Data hidden inside the tar stream after the end-of-archive marker.
  expect_refused(read(gzip_bytes(demo_tar().end().file("demo/hidden", "x"))),
                 "data after the tar end-of-archive marker");
  // Zero padding after the marker, as GNU tar writes it, is fine.
  EXPECT_TRUE(read(gzip_bytes(demo_tar().end().raw(std::string(9216, '\0')))).ok());
}

TEST(ArchiveReader, RefusesTruncationAtEveryStage) {
  const TarBytes tgz = gzip_bytes(demo_tar().file("demo/templates/a.yaml", std::string(3000, 'a')).end());
  for (const std::size_t cut : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{10}, tgz.size() / 2,
                                tgz.size() - 8, tgz.size() - 4, tgz.size() - 1}) {
    const TarBytes part(tgz.begin(), tgz.begin() + static_cast<std::ptrdiff_t>(cut));
    const auto r = read(part);
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_NE(r.error().message.find("truncated gzip stream"), std::string::npos) << cut << ": " << r.error().message;
  }
  // Complete gzip streams around truncated tar streams.
  const TarBytes tar = demo_tar().file("demo/templates/a.yaml", std::string(3000, 'a')).end().bytes();
  auto cut_tar = [&tar](std::size_t n) {
    return gzip_bytes(TarBytes(tar.begin(), tar.begin() + static_cast<std::ptrdiff_t>(n)));
  };
  expect_refused(read(cut_tar(100)), "truncated tar header at offset 0");
  expect_refused(read(cut_tar(512 + 10)), "truncated tar entry 'demo/Chart.yaml'");
  expect_refused(read(cut_tar(512 + 100)), "truncated tar padding after entry 'demo/Chart.yaml'");
  expect_refused(read(cut_tar(tar.size() - 1024)), "tar stream ends without the end-of-archive marker");
  expect_refused(read(cut_tar(tar.size() - 512)), "tar stream ends after one zero block");
  expect_refused(read(cut_tar(tar.size() - 100)), "truncated tar end-of-archive marker");
}

TEST(ArchiveReader, RefusesBadHeaders) {
  TarHeader h;
  h.name = "demo/x";
  h.corrupt_checksum = true;
  expect_refused(read(gzip_bytes(demo_tar().header(h).end())), "('demo/x'): header checksum mismatch");
  h.corrupt_checksum = false;
  h.magic = std::string("xxxxx\0", 6);
  expect_refused(read(gzip_bytes(demo_tar().header(h).end())), "not a POSIX ustar or GNU tar header");
  // Header-only entries must not claim data; non-zero padding is refused.
  TarHeader dir;
  dir.name = "demo/d/";
  dir.type = '5';
  dir.size = 3;
  expect_refused(read(gzip_bytes(demo_tar().header(dir).data("abc").end())), "is a directory but claims 3 data bytes");
  TarBuilder pad;
  pad.file("demo/Chart.yaml", minimal_chart_yaml());
  TarHeader f;
  f.name = "demo/a";
  f.size = 3;
  pad.header(f).data("abc", 'Z');
  expect_refused(read(gzip_bytes(pad.end())), "non-zero padding after tar entry 'demo/a'");
  // A lone zero block in the middle.
  expect_refused(read(gzip_bytes(demo_tar().raw(std::string(512, '\0')).file("demo/late", "").end())),
                 "follows a single zero block");
}

TEST(ArchiveReader, RefusesAmbiguousExtendedHeaders) {
  TarBuilder both = demo_tar();
  both.extended('x', TarBuilder::pax_record("path", "demo/a"))
      .extended('L', std::string("demo/b\0", 7))
      .file("demo/c", "");
  expect_refused(read(gzip_bytes(both.end())), "both a pax path and a GNU long name");
  TarBuilder twice = demo_tar();
  twice.extended('x', TarBuilder::pax_record("path", "demo/a"))
      .extended('x', TarBuilder::pax_record("path", "demo/b"))
      .file("demo/c", "");
  expect_refused(read(gzip_bytes(twice.end())), "two pax extended headers for one entry");
  TarBuilder repeated = demo_tar();
  repeated.extended('x', TarBuilder::pax_record("path", "demo/a") + TarBuilder::pax_record("path", "demo/b"))
      .file("demo/c", "");
  expect_refused(read(gzip_bytes(repeated.end())), "pax header repeats the key 'path'");
  TarBuilder global_path = demo_tar();
  global_path.extended('g', TarBuilder::pax_record("path", "demo/a")).file("demo/c", "");
  expect_refused(read(gzip_bytes(global_path.end())), "pax global header sets 'path' for all entries");
  TarBuilder sparse = demo_tar();
  sparse.extended('x', TarBuilder::pax_record("GNU.sparse.size", "100")).file("demo/c", "");
  expect_refused(read(gzip_bytes(sparse.end())), "sparse files are not supported");
  TarBuilder malformed = demo_tar();
  malformed.extended('x', "13 path=abc\n").file("demo/c", "");  // length says 13, record is 12
  expect_refused(read(gzip_bytes(malformed.end())), "malformed pax header record");
  TarBuilder dangling = demo_tar();
  dangling.extended('x', TarBuilder::pax_record("path", "demo/a")).end();
  expect_refused(read(gzip_bytes(dangling)), "extended header is not followed by an entry");
}

TEST(ArchiveReader, FileReaderRefusesNonRegularFiles) {
  test::TempDir dir;
  expect_refused(read_chart_archive(dir.path()), "is not a regular file");
  const auto fifo = dir / "fifo.tgz";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(read_chart_archive(fifo), "is not a regular file");
  expect_refused(read_chart_archive(dir / "missing.tgz"), "cannot open");
}

TEST(ArchiveReader, FileReaderErrorsNameTheFile) {
  test::TempDir dir;
  const auto p = dir / "bad.tgz";
  const TarBytes tgz = gzip_bytes(demo_tar().file("../x", "").end());
  ASSERT_TRUE(atomic_write(p, ByteView(tgz.data(), tgz.size())).ok());
  const auto r = read_chart_archive(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind(p.string() + ": ", 0), 0u) << r.error().message;
}

}  // namespace
}  // namespace chartprov::chart
