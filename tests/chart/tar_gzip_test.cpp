// The gzip and tar primitives: results independent of how the input is cut,
// writer/reader round trips, and bounded memory on a 100 MB chart.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "chart/archive_reader.hpp"
#include "chart/tar_builder.hpp"
#include "infra/archive/gzip.hpp"
#include "infra/archive/tar_reader.hpp"
#include "infra/archive/tar_writer.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::archive {
namespace {

struct Recorder : TarSink {
  std::vector<std::string> names;
  std::vector<std::string> data;
  Status on_entry(const TarEntry& e) override {
    names.push_back(e.path + ":" + describe(e.type) + ":" + std::to_string(e.size) + ":" + std::to_string(e.mode));
    data.emplace_back();
    return ok_status();
  }
  Status on_data(ByteView d) override {
    data.back().append(as_chars(d));
    return ok_status();
  }
  Status on_entry_end() override { return ok_status(); }
};

// gunzip + untar `tgz` fed in pieces of `step` bytes.
Status unpack(const Bytes& tgz, std::size_t step, Recorder& rec) {
  TRY(GzipInflater inflater, GzipInflater::create());
  TarReader tar(rec);
  for (std::size_t off = 0; off < tgz.size(); off += step) {
    const ByteView piece = ByteView(tgz).subspan(off, std::min(step, tgz.size() - off));
    TRY_STATUS(inflater.feed(piece, [&tar](ByteView out) { return tar.feed(out); }));
  }
  TRY_STATUS(inflater.finish());
  return tar.finish();
}

TEST(TarGzip, ResultDoesNotDependOnChunking) {
  const auto tgz = read_file(test::data("helm/generated/cases/ok-rich/rich-0.2.0+build.7.tgz"));
  ASSERT_TRUE(tgz.ok());
  Recorder whole;
  ASSERT_TRUE(unpack(*tgz, tgz->size(), whole).ok());
  EXPECT_EQ(whole.names.size(), 4u);
  for (const std::size_t step : {1, 2, 7, 511, 512, 513, 4096}) {
    Recorder r;
    const Status s = unpack(*tgz, step, r);
    ASSERT_TRUE(s.ok()) << step << ": " << s.error().message;
    EXPECT_EQ(r.names, whole.names) << step;
    EXPECT_EQ(r.data, whole.data) << step;
  }
}

TEST(TarGzip, WriterRoundTripsThroughReader) {
  Bytes tar_bytes;
  TarWriter w([&tar_bytes](ByteView b) {
    tar_bytes.insert(tar_bytes.end(), b.begin(), b.end());
    return ok_status();
  });
  const std::string prefixed = std::string(120, 'p') + "/" + std::string(90, 'n');
  const std::string pax = std::string(300, 'x');
  ASSERT_TRUE(w.add_file("a/short.txt", 0644, 0, as_bytes("hello")).ok());
  ASSERT_TRUE(w.add_file("a/" + prefixed, 0755, 1, as_bytes(std::string(1000, 'z'))).ok());
  ASSERT_TRUE(w.add_file("a/" + pax, 0644, 2, {}).ok());
  ASSERT_TRUE(w.add_file("a/ünïcode", 0644, 3, as_bytes("u")).ok());
  ASSERT_TRUE(w.finish().ok());
  EXPECT_EQ(tar_bytes.size() % 512, 0u);

  auto deflater = GzipDeflater::create(9);
  ASSERT_TRUE(deflater.ok());
  ASSERT_TRUE(deflater->write(tar_bytes).ok());
  const auto tgz = deflater->finish();
  ASSERT_TRUE(tgz.ok());
  EXPECT_EQ(test::gunzip_bytes(*tgz), tar_bytes);  // zlib itself agrees

  Recorder r;
  ASSERT_TRUE(unpack(*tgz, 100, r).ok());
  EXPECT_EQ(r.names,
            (std::vector<std::string>{"a/short.txt:regular file:5:420", "a/" + prefixed + ":regular file:1000:493",
                                      "a/" + pax + ":regular file:0:420", "a/ünïcode:regular file:1:420"}));
  EXPECT_EQ(r.data[0], "hello");
  EXPECT_EQ(r.data[1], std::string(1000, 'z'));
}

TEST(TarGzip, DeflaterIsDeterministicAndInflaterRoundTrips) {
  std::mt19937 rng(42);
  for (const std::size_t size : {0, 1, 1000, 200000}) {
    Bytes data(size);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng() % 7);  // compressible
    Bytes out[2];
    for (Bytes& o : out) {
      auto d = GzipDeflater::create(9);
      ASSERT_TRUE(d.ok());
      ASSERT_TRUE(d->write(data).ok());
      auto f = d->finish();
      ASSERT_TRUE(f.ok());
      o = std::move(f).value();
    }
    EXPECT_EQ(out[0], out[1]);
    auto inf = GzipInflater::create();
    ASSERT_TRUE(inf.ok());
    Bytes back;
    ASSERT_TRUE(inf->feed(out[0],
                          [&back](ByteView b) {
                            back.insert(back.end(), b.begin(), b.end());
                            return ok_status();
                          })
                    .ok());
    EXPECT_TRUE(inf->finish().ok());
    EXPECT_EQ(back, data);
    EXPECT_EQ(inf->total_in(), out[0].size());
    EXPECT_EQ(inf->total_out(), size);
  }
}

TEST(TarGzip, ReaderAcceptsGnuHeaders) {
  test::TarBuilder t;
  test::TarHeader h;
  h.name = "demo/Chart.yaml";
  h.magic = "ustar ";
  h.version = std::string(" \0", 2);
  const std::string yaml = test::minimal_chart_yaml();
  h.size = yaml.size();
  t.header(h).data(yaml).end();
  Recorder r;
  TarReader tar(r);
  ASSERT_TRUE(tar.feed(t.bytes()).ok());
  ASSERT_TRUE(tar.finish().ok());
  EXPECT_EQ(r.data[0], yaml);
}

TEST(TarGzip, OctalFields) {
  std::uint8_t block[512] = {};
  const TarBlock b(block);
  std::optional<std::uint64_t> v;
  auto set = [&block](const char* text, std::size_t len) {
    std::memset(block + kTarSize.offset, 0, kTarSize.size);
    std::memcpy(block + kTarSize.offset, text, len);
  };
  set("00000000017", 11);
  ASSERT_TRUE(parse_tar_octal(b, kTarSize, v));
  EXPECT_EQ(v, 15u);
  set("   17 ", 6);
  ASSERT_TRUE(parse_tar_octal(b, kTarSize, v));
  EXPECT_EQ(v, 15u);
  set("", 0);
  ASSERT_TRUE(parse_tar_octal(b, kTarSize, v));
  EXPECT_FALSE(v.has_value());
  set("0000008", 7);
  EXPECT_FALSE(parse_tar_octal(b, kTarSize, v));
  set("12 3", 4);
  EXPECT_FALSE(parse_tar_octal(b, kTarSize, v));
  set("\x80\0\0\0\0\0\0\0\0\0\0\x01", 12);
  EXPECT_FALSE(parse_tar_octal(b, kTarSize, v));  // base-256
}

std::uint64_t proc_status_kib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(std::strlen(key)));
  }
  return 0;
}

// A 100 MB chart of incompressible data is read with a small, bounded RSS.
TEST(TarGzip, HundredMegabyteChartInBoundedMemory) {
  test::TempDir tmp;
  const auto path = tmp / "big-1.0.0.tgz";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    z_stream zs{};
    ASSERT_EQ(deflateInit2(&zs, 0, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    std::vector<std::uint8_t> out(1 << 16);
    auto put = [&](const std::uint8_t* p, std::size_t n, int flush) {
      zs.next_in = const_cast<Bytef*>(p);
      zs.avail_in = static_cast<uInt>(n);
      do {
        zs.next_out = out.data();
        zs.avail_out = static_cast<uInt>(out.size());
        deflate(&zs, flush);
        std::fwrite(out.data(), 1, out.size() - zs.avail_out, f);
      } while (zs.avail_out == 0);
    };
    test::TarBuilder head;
    head.file("big/Chart.yaml", test::minimal_chart_yaml("big", "1.0.0"));
    put(head.bytes().data(), head.bytes().size(), Z_NO_FLUSH);
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    std::vector<std::uint8_t> chunk(1 << 16);
    constexpr std::size_t kFile = 5000000;
    for (int i = 0; i < 20; ++i) {
      test::TarBuilder h;
      test::TarHeader th;
      th.name = "big/blob" + std::to_string(i);
      th.size = kFile;
      h.header(th);
      put(h.bytes().data(), h.bytes().size(), Z_NO_FLUSH);
      for (std::size_t done = 0; done < kFile;) {
        const std::size_t n = std::min(chunk.size(), kFile - done);
        for (std::size_t j = 0; j < n; ++j) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          chunk[j] = static_cast<std::uint8_t>(x);
        }
        put(chunk.data(), n, Z_NO_FLUSH);
        done += n;
      }
      const std::string pad((512 - kFile % 512) % 512, '\0');
      put(reinterpret_cast<const std::uint8_t*>(pad.data()), pad.size(), Z_NO_FLUSH);
    }
    const std::string end(1024, '\0');
    put(reinterpret_cast<const std::uint8_t*>(end.data()), end.size(), Z_FINISH);
    deflateEnd(&zs);
    std::fclose(f);
  }
  ASSERT_GT(std::filesystem::file_size(path), 100'000'000u);

  // Reset the peak RSS to the current RSS (Linux >= 4.0), then read.
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  const std::uint64_t before = proc_status_kib("VmRSS:");
  const auto a = chart::read_chart_archive(path);
  const std::uint64_t peak = proc_status_kib("VmHWM:");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->files.size(), 21u);
  EXPECT_GT(a->uncompressed_size, 100'000'000u);
  EXPECT_LT(peak - before, 8u * 1024) << "peak RSS grew by " << (peak - before) << " KiB";
}

}  // namespace
}  // namespace chartprov::archive
