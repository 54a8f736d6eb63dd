// libFuzzer target for the chart archive reader (gunzip -> tar -> chart
// rules) over bytes in memory. An odd first byte means "the rest is a tar
// stream": it is gzipped here first so that mutations reach the tar parser
// instead of failing the gzip CRC. Invariants for an accepted archive: the
// digest is the SHA-256 of the input, every file sits under the one top
// directory named like the chart, and the kept Chart.yaml parses to the same
// metadata. The one-shot gunzip (libdeflate) and zlib's streaming inflate
// give the same verdict, the same message and the same archive.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "chart/archive_reader.hpp"
#include "chart/chart_yaml.hpp"
#include "fuzz_check.hpp"
#include "infra/archive/gzip.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"

using chartprov::fuzz::check;

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chart::ArchiveLimits limits;
  limits.max_total_size = 8u << 20;  // keep each run fast; the checks are the same
  limits.max_file_size = 1u << 20;
  ByteView in(data, size);
  Bytes wrapped;
  if (size > 0 && (data[0] & 1) != 0) {
    auto gz = archive::GzipDeflater::create(1);
    check(gz.ok());
    check(gz->write(in.subspan(1)).ok());
    auto out = gz->finish();
    check(out.ok());
    wrapped = std::move(out).value();
    in = wrapped;
  }
  const auto a = chart::read_chart_archive_bytes(in, limits);
  chart::ArchiveLimits streaming = limits;
  streaming.one_shot_gunzip = false;
  const auto b = chart::read_chart_archive_bytes(in, streaming);
  check(a.ok() == b.ok());
  if (!a.ok()) {
    check(a.error().message == b.error().message);
    check(a.error().kind == b.error().kind);
  } else {
    check(a->chart_yaml == b->chart_yaml && a->files == b->files && a->uncompressed_size == b->uncompressed_size);
  }
  if (!a.ok()) {
    check(!a.error().message.empty());
    return 0;
  }
  check(a->sha256_hex == hex_encode(crypto::sha256(in)));
  check(a->size == in.size());
  check(!a->files.empty() && a->files.size() <= a->entries);
  check(a->top_dir == a->metadata.name);
  for (const std::string& f : a->files) check(f.rfind(a->top_dir + "/", 0) == 0);
  const auto again = chart::parse_chart_yaml(a->chart_yaml);
  check(again.ok() && again->name == a->metadata.name && again->version == a->metadata.version);
  return 0;
}
