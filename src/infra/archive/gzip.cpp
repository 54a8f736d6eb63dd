#include "infra/archive/gzip.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace chartprov::archive {
namespace {

constexpr std::size_t kOutChunk = std::size_t{64} * 1024;
constexpr std::uint8_t kMagic[3] = {0x1f, 0x8b, 0x08};  // ID1, ID2, CM = deflate
constexpr int kGzipWindow = 15 + 16;                    // 32 KiB window, gzip wrapper only
constexpr std::size_t kGzipMinSize = 18;                // header 10, empty deflate block 0+, trailer 8
constexpr std::uint64_t kOneShotLimit = 16ull << 20;    // the one-shot output buffer, at most

struct DecompressorFree {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

std::uint32_t load_le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

std::string zmsg(const z_stream& zs, int rc) {
  if (zs.msg != nullptr) return zs.msg;
  return "zlib error " + std::to_string(rc);
}

uInt chunk_len(std::size_t n) { return static_cast<uInt>(std::min<std::size_t>(n, std::numeric_limits<uInt>::max())); }

}  // namespace

// z_stream keeps a pointer to itself inside zlib's state, so it lives on the
// heap and never moves. zlib and its output buffer are set up only when the
// one-shot path does not take the stream.
struct GzipInflater::Stream {
  z_stream zs{};
  std::unique_ptr<std::uint8_t[]> out;
  bool initialised = false;
  std::uint64_t one_shot_max_out = 0;
  bool one_shot_tried = false;
  ~Stream() {
    if (initialised) inflateEnd(&zs);
  }
};

GzipInflater::GzipInflater(std::unique_ptr<Stream> s) : s_(std::move(s)) {}
GzipInflater::GzipInflater(GzipInflater&&) noexcept = default;
GzipInflater& GzipInflater::operator=(GzipInflater&&) noexcept = default;
GzipInflater::~GzipInflater() = default;

Result<GzipInflater> GzipInflater::create(std::uint64_t one_shot_max_out) {
  auto s = std::make_unique<Stream>();
  s->one_shot_max_out = std::min<std::uint64_t>(one_shot_max_out, kOneShotLimit);
  return GzipInflater(std::move(s));
}

std::uint64_t GzipInflater::total_in() const { return total_in_; }
std::uint64_t GzipInflater::total_out() const { return total_out_; }

// Our own check of the first bytes gives a clearer message than zlib's
// "incorrect header check" for the common mistake (a YAML file, a plain tar).
Status GzipInflater::check_magic(ByteView in) {
  for (std::size_t i = 0; i < in.size() && magic_seen_ < 3; ++i, ++magic_seen_) {
    if (in[i] == kMagic[magic_seen_]) continue;
    if (magic_seen_ < 2) return input_error("not a gzip file (the first bytes are not 1f 8b)");
    return input_error("unsupported gzip compression method " + std::to_string(in[i]) + " (only deflate, 8)");
  }
  return ok_status();
}

Status GzipInflater::trailing(ByteView in, std::size_t offset) {
  failed_ = true;
  if (in[offset] == kMagic[0])
    return input_error("a second gzip member follows the first (concatenated gzip is refused)");
  return input_error("trailing data after the end of the gzip stream (" + std::to_string(in.size() - offset) +
                     " bytes or more)");
}

bool GzipInflater::one_shot(ByteView in, const ByteSink& out, Status& result) {
  s_->one_shot_tried = true;
  if (s_->one_shot_max_out == 0 || in.size() < kGzipMinSize) return false;
  // FHCRC (0x02) and the reserved bits (0xe0) are zlib's to judge: libdeflate skips the header CRC.
  if ((in[3] & 0xe2) != 0) return false;
  const std::uint64_t isize = load_le32(in.data() + in.size() - 4);  // this member's, if `in` ends with it
  if (isize > s_->one_shot_max_out) return false;
  // One decompressor per thread, kept: it holds no state between calls, and allocating and
  // zero-filling its ~10 KB of tables for every chart cost more than a small chart's inflate.
  thread_local const std::unique_ptr<libdeflate_decompressor, DecompressorFree> d(libdeflate_alloc_decompressor());
  if (!d) return false;
  const auto buf = std::make_unique_for_overwrite<std::uint8_t[]>(std::max<std::size_t>(isize, 1));
  std::size_t used_in = 0, produced = 0;
  const auto rc = libdeflate_gzip_decompress_ex(d.get(), in.data(), in.size(), buf.get(), isize, &used_in, &produced);
  // The member's own trailer: CRC-32 (libdeflate checked it) and the length, compared here too.
  if (rc != LIBDEFLATE_SUCCESS || used_in < kGzipMinSize || used_in > in.size() ||
      load_le32(in.data() + used_in - 4) != static_cast<std::uint32_t>(produced)) {
    return false;
  }
  total_in_ = used_in;
  ended_ = true;
  for (std::size_t off = 0; off < produced; off += kOutChunk) {
    const std::size_t n = std::min(kOutChunk, produced - off);
    total_out_ += n;
    if (const Status st = out(ByteView(buf.get() + off, n)); !st.ok()) {
      failed_ = true;
      result = st.error();
      return true;
    }
  }
  result = used_in < in.size() ? trailing(in, used_in) : ok_status();
  return true;
}

Status GzipInflater::feed(ByteView in, const ByteSink& out) {
  if (failed_) return internal_error("gzip stream used after an error");
  if (in.empty()) return ok_status();
  auto fail = [this](Error e) -> Status {
    failed_ = true;
    return e;
  };
  if (ended_) {
    if (in[0] == kMagic[0])
      return fail(input_error("a second gzip member follows the first (concatenated gzip is refused)"));
    return fail(input_error("trailing data after the end of the gzip stream"));
  }
  if (const Status m = check_magic(in); !m.ok()) return fail(m.error());
  if (!s_->one_shot_tried) {  // the first bytes fed: only they can hold a whole member
    Status result = ok_status();
    if (one_shot(in, out, result)) return result;
  }
  if (!s_->initialised) {
    const int rc = inflateInit2(&s_->zs, kGzipWindow);
    if (rc != Z_OK) return fail(internal_error("cannot initialise zlib inflate: " + zmsg(s_->zs, rc)));
    s_->initialised = true;
    s_->out = std::make_unique_for_overwrite<std::uint8_t[]>(kOutChunk);
  }

  z_stream& zs = s_->zs;
  std::size_t offset = 0;
  while (offset < in.size() || zs.avail_out == 0) {
    const uInt give = chunk_len(in.size() - offset);
    zs.next_in = const_cast<Bytef*>(in.data() + offset);  // zlib's API is not const-correct
    zs.avail_in = give;
    zs.next_out = s_->out.get();
    zs.avail_out = static_cast<uInt>(kOutChunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    offset += give - zs.avail_in;
    total_in_ += give - zs.avail_in;
    const std::size_t produced = kOutChunk - zs.avail_out;
    total_out_ += produced;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      if (rc == Z_MEM_ERROR) return fail(internal_error("out of memory in zlib"));
      return fail(input_error("corrupt gzip stream: " + zmsg(zs, rc)));
    }
    if (produced > 0) {
      if (const Status st = out(ByteView(s_->out.get(), produced)); !st.ok()) return fail(st.error());
    }
    if (rc == Z_STREAM_END) {
      ended_ = true;
      if (offset < in.size()) return trailing(in, offset);
      return ok_status();
    }
    if (rc == Z_BUF_ERROR) {
      // No progress possible: fine once all input is consumed, a bug otherwise.
      if (offset < in.size()) return fail(internal_error("zlib inflate made no progress"));
      break;
    }
  }
  return ok_status();
}

Status GzipInflater::finish() const {
  if (failed_) return internal_error("gzip stream used after an error");
  if (ended_) return ok_status();
  if (total_in_ == 0 && magic_seen_ == 0) return input_error("empty file, not a gzip archive");
  return input_error("truncated gzip stream (ends after " + std::to_string(total_in()) +
                     " compressed bytes, before the gzip trailer)");
}

struct GzipDeflater::Stream {
  z_stream zs{};
  Bytes out;
  bool initialised = false;
  ~Stream() {
    if (initialised) deflateEnd(&zs);
  }
};

GzipDeflater::GzipDeflater(std::unique_ptr<Stream> s) : s_(std::move(s)) {}
GzipDeflater::GzipDeflater(GzipDeflater&&) noexcept = default;
GzipDeflater& GzipDeflater::operator=(GzipDeflater&&) noexcept = default;
GzipDeflater::~GzipDeflater() = default;

Result<GzipDeflater> GzipDeflater::create(int level) {
  auto s = std::make_unique<Stream>();
  // Without deflateSetHeader zlib writes a minimal gzip header: no name, no
  // comment, mtime 0.
  const int rc = deflateInit2(&s->zs, level, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) return internal_error("cannot initialise zlib deflate: " + zmsg(s->zs, rc));
  s->initialised = true;
  return GzipDeflater(std::move(s));
}

Status GzipDeflater::run(int flush) {
  z_stream& zs = s_->zs;
  std::uint8_t buf[kOutChunk / 4];
  int rc = Z_OK;
  do {
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = deflate(&zs, flush);
    if (rc == Z_STREAM_ERROR) return internal_error("zlib deflate failed: " + zmsg(zs, rc));
    s_->out.insert(s_->out.end(), buf, buf + (sizeof buf - zs.avail_out));
  } while (zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  return ok_status();
}

Status GzipDeflater::write(ByteView in) {
  if (!s_) return internal_error("gzip writer used after finish");
  std::size_t offset = 0;
  while (offset < in.size()) {
    const uInt give = chunk_len(in.size() - offset);
    s_->zs.next_in = const_cast<Bytef*>(in.data() + offset);
    s_->zs.avail_in = give;
    TRY_STATUS(run(Z_NO_FLUSH));
    offset += give - s_->zs.avail_in;
  }
  return ok_status();
}

Result<Bytes> GzipDeflater::finish() {
  if (!s_) return internal_error("gzip writer used after finish");
  s_->zs.next_in = nullptr;
  s_->zs.avail_in = 0;
  TRY_STATUS(run(Z_FINISH));
  Bytes out = std::move(s_->out);
  s_.reset();
  return out;
}

}  // namespace chartprov::archive
