#pragma once
// Writes a tar stream the way Go's archive/tar does for Helm: ustar headers
// (uid/gid 0, no user/group names), the ustar prefix field for long names,
// a pax 'x' record when a name cannot be stored in ustar fields (too long or
// not ASCII), and two zero blocks at the end.
#include <cstdint>
#include <string_view>

#include "infra/archive/gzip.hpp"
#include "infra/archive/tar_format.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::archive {

class TarWriter {
 public:
  explicit TarWriter(ByteSink out) : out_(std::move(out)) {}

  // A regular file; mode is the permission bits (e.g. 0644), mtime seconds
  // since the epoch (0 .. 8^11-1).
  Status add_file(std::string_view path, std::uint32_t mode, std::uint64_t mtime, ByteView data);
  // Writes the end-of-archive marker; the writer must not be used afterwards.
  Status finish();

 private:
  Status write_header(std::string_view name, char typeflag, std::uint32_t mode, std::uint64_t size,
                      std::uint64_t mtime);
  Status write_padded(ByteView data);

  ByteSink out_;
  bool finished_ = false;
};

}  // namespace chartprov::archive
