#pragma once
// A strict, push-based tar reader: feed it the decompressed stream in pieces
// of any size; it reports entries to a TarSink and keeps only one header
// block and at most one extended header in memory.
//
// Accepted: POSIX ustar and GNU headers; pax extended headers ('x', the keys
// "path" and "size" are applied, "linkpath" too; other keys are ignored,
// GNU.sparse.* refused); pax global headers ('g', checked for syntax and
// ignored); GNU long names ('L') and long link names ('K').
// Refused: bad checksums, base-256 numbers, unknown magic, sparse files,
// non-zero padding, data after the end-of-archive marker other than zero
// padding, a missing end-of-archive marker (two zero blocks), ambiguous
// combinations (two pax headers or a pax path and a GNU long name for one
// entry), and header-only entries (links, directories, devices, FIFOs) that
// claim data.
#include <cstdint>
#include <optional>
#include <string>

#include "infra/archive/tar_format.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::archive {

class TarSink {
 public:
  virtual ~TarSink() = default;
  // A member header; its data (entry.size bytes) follows through on_data.
  virtual Status on_entry(const TarEntry& entry) = 0;
  virtual Status on_data(ByteView data) = 0;
  virtual Status on_entry_end() = 0;
};

struct TarReaderLimits {
  std::size_t max_extended_header = std::size_t{64} * 1024;  // one pax / GNU long-name record set
  std::uint64_t max_trailing_zeros = 1 << 20;                // zero padding after the end marker
};

class TarReader {
 public:
  explicit TarReader(TarSink& sink, TarReaderLimits limits = {});

  Status feed(ByteView data);
  // The stream ended: refuses a stream without a complete end-of-archive marker.
  Status finish();

  std::uint64_t offset() const { return offset_; }

 private:
  enum class State { kHeader, kExtended, kData, kPadding, kZeroBlock, kEnd, kFailed };

  Status fail(Error e);
  Status on_block();
  Status on_header(TarBlock block);
  Status on_extended_done();
  Status parse_pax(bool global);
  Status finish_entry_data();

  TarSink& sink_;
  TarReaderLimits limits_;
  State state_ = State::kHeader;
  std::uint64_t offset_ = 0;  // bytes consumed so far
  std::uint8_t block_[kTarBlockSize]{};
  std::size_t block_fill_ = 0;
  std::uint64_t remaining_ = 0;  // data or extended-header bytes still due
  std::uint64_t padding_ = 0;    // padding bytes after them
  std::uint64_t trailing_zeros_ = 0;

  // The extended header being collected and what earlier ones said.
  char ext_type_ = 0;
  std::string ext_data_;
  std::string ext_header_name_;
  std::optional<std::string> pax_path_;
  std::optional<std::uint64_t> pax_size_;
  std::optional<std::string> pax_linkpath_;
  std::optional<std::string> gnu_long_name_;
  std::optional<std::string> gnu_long_link_;
  bool pax_seen_ = false;
  std::string current_name_;  // for messages
};

}  // namespace chartprov::archive
