#pragma once
// File access with the project's rules: bounded reads, atomic writes
// (temp file in the same directory + fsync + rename), private-key permission
// checks as ssh does them.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>

#include "util/bytes.hpp"
#include "util/fd.hpp"
#include "util/result.hpp"

namespace chartprov {

inline constexpr std::uint64_t kDefaultMaxRead = 64ull << 20;
// How long one read_file may take in all. A regular file on a local disk
// takes microseconds; one on a stalled network or FUSE mount is refused
// instead of holding a verify, the gate or a server worker.
inline constexpr std::chrono::seconds kReadDeadline{10};

// Opens a regular file for reading without ever blocking in open(): the open
// is non-blocking (a FIFO with no writer, a device), and anything fstat does
// not call a regular file is refused before a byte is read ("<path> is a
// directory, not a file", "<path> is not a regular file"), as are paths that
// cannot be opened or stat'ed. The descriptor is blocking again on return.
Result<UniqueFd> open_regular_file(const std::filesystem::path& path);

// Reads a regular file of at most max_size bytes (opened as
// open_regular_file does). Refused, naming the path: what open_regular_file
// refuses, a file larger than max_size, one that grew or could not be read,
// and a read that has not finished within kReadDeadline.
Result<Bytes> read_file(const std::filesystem::path& path, std::uint64_t max_size = kDefaultMaxRead);
Result<std::string> read_text_file(const std::filesystem::path& path, std::uint64_t max_size = kDefaultMaxRead);

// Writes data to path atomically with the given mode: nothing half-written is
// ever visible under path, and on failure the temp file is removed.
Status atomic_write(const std::filesystem::path& path, ByteView data, unsigned mode = 0644);
inline Status atomic_write(const std::filesystem::path& path, std::string_view text, unsigned mode = 0644) {
  return atomic_write(path, as_bytes(text), mode);
}

// Refuses a private key file that group or others may read or write, or that
// is not a regular file (a symlink to elsewhere is followed, like ssh).
Status check_private_file_permissions(const std::filesystem::path& path);

// Refuses when any of the paths exists ("<path> exists; refusing to overwrite
// (--force)"), so that no output is written over unless the user asked.
Status refuse_to_overwrite(std::initializer_list<std::filesystem::path> paths);

}  // namespace chartprov
