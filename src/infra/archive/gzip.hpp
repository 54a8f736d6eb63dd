#pragma once
// Streaming gzip over zlib (RFC 1952): a strict single-member inflater for
// untrusted archives and a deterministic deflater for packaging.
#include <cstdint>
#include <functional>
#include <memory>

#include "util/bytes.hpp"
#include "util/result.hpp"

struct z_stream_s;

namespace chartprov::archive {

// Receives decompressed bytes; an error stops the stream.
using ByteSink = std::function<Status(ByteView)>;

// Push-based gunzip. Exactly one gzip member is accepted: a second member
// (concatenated gzip) or any other byte after the first member's trailer is
// refused, because readers disagree on whether such bytes belong to the
// archive (Go's reader continues, others stop). The CRC-32 and length in the
// trailer are checked.
//
// One-shot fast path: when the first piece fed holds a whole member whose
// output is at most `one_shot_max_out` bytes (a typical chart: one read of
// 5 KB), libdeflate decompresses it in one call, about twice as fast as
// zlib's streaming inflate and with a much faster CRC-32. It is used only
// when it succeeds and its result is checked like zlib's (single member,
// CRC-32, length); a header with FHCRC or reserved flags, any failure, or a
// member that does not fit goes to zlib from the first byte, so every refusal
// and its message is zlib's. 0 turns the fast path off.
class GzipInflater {
 public:
  static Result<GzipInflater> create(std::uint64_t one_shot_max_out = 0);
  GzipInflater(GzipInflater&&) noexcept;
  GzipInflater& operator=(GzipInflater&&) noexcept;
  ~GzipInflater();

  // Decompresses `in`, handing output to `out` in pieces of at most 64 KiB.
  Status feed(ByteView in, const ByteSink& out);
  // Call at end of input: refuses a stream that has not reached its trailer.
  Status finish() const;

  std::uint64_t total_in() const;   // compressed bytes consumed
  std::uint64_t total_out() const;  // decompressed bytes produced
  bool ended() const { return ended_; }

 private:
  struct Stream;
  explicit GzipInflater(std::unique_ptr<Stream> s);
  Status check_magic(ByteView in);
  // True when the one-shot path decompressed `in` (or `out` refused what it gave).
  bool one_shot(ByteView in, const ByteSink& out, Status& result);
  Status trailing(ByteView in, std::size_t offset);

  std::unique_ptr<Stream> s_;
  std::uint64_t total_in_ = 0;
  std::uint64_t total_out_ = 0;
  std::uint8_t magic_seen_ = 0;  // how many of the 3 leading bytes were checked
  bool ended_ = false;
  bool failed_ = false;
};

// Deterministic gzip: no file name, mtime 0, OS byte fixed by zlib. The same
// input with the same zlib build gives the same bytes.
class GzipDeflater {
 public:
  static Result<GzipDeflater> create(int level = 9);
  GzipDeflater(GzipDeflater&&) noexcept;
  GzipDeflater& operator=(GzipDeflater&&) noexcept;
  ~GzipDeflater();

  Status write(ByteView in);
  // Ends the stream and hands back all compressed bytes.
  Result<Bytes> finish();

 private:
  struct Stream;
  explicit GzipDeflater(std::unique_ptr<Stream> s);
  Status run(int flush);

  std::unique_ptr<Stream> s_;
};

}  // namespace chartprov::archive
