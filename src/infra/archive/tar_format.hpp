#pragma once
// The ustar header layout (POSIX.1-1988, pax extensions, GNU magic) shared by
// the tar reader and writer.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace chartprov::archive {

inline constexpr std::size_t kTarBlockSize = 512;

// Field offsets and widths inside a 512-byte header block.
struct TarField {
  std::size_t offset;
  std::size_t size;
};
inline constexpr TarField kTarName{0, 100};
inline constexpr TarField kTarMode{100, 8};
inline constexpr TarField kTarUid{108, 8};
inline constexpr TarField kTarGid{116, 8};
inline constexpr TarField kTarSize{124, 12};
inline constexpr TarField kTarMtime{136, 12};
inline constexpr TarField kTarChecksum{148, 8};
inline constexpr std::size_t kTarTypeflag = 156;
inline constexpr TarField kTarLinkname{157, 100};
inline constexpr TarField kTarMagic{257, 6};
inline constexpr TarField kTarVersion{263, 2};
inline constexpr TarField kTarDevmajor{329, 8};
inline constexpr TarField kTarDevminor{337, 8};
inline constexpr TarField kTarPrefix{345, 155};

using TarBlock = std::span<const std::uint8_t, kTarBlockSize>;

enum class TarEntryType { kRegular, kDirectory, kSymlink, kHardlink, kCharDevice, kBlockDevice, kFifo, kOther };

// "regular file", "symbolic link", ... for messages.
const char* describe(TarEntryType type);

// One archive member as the reader reports it, after pax / GNU long-name
// records have been applied.
struct TarEntry {
  std::string path;  // pax path > GNU long name > ustar prefix "/" name
  TarEntryType type = TarEntryType::kOther;
  char typeflag = 0;
  std::uint64_t size = 0;  // data bytes that follow (pax size wins)
  std::uint32_t mode = 0;
  std::string linkname;
  std::uint64_t header_offset = 0;  // where its header starts in the tar stream
};

// The text of a NUL-terminated header field (up to its first NUL).
std::string_view tar_field_text(TarBlock block, TarField field);

// Parses an octal numeric field: optional leading spaces, octal digits, then
// NUL or space padding. An all-NUL/space field is empty (nullopt). Base-256
// and anything else are errors (false).
bool parse_tar_octal(TarBlock block, TarField field, std::optional<std::uint64_t>& out);

// Sum of the header bytes with the checksum field counted as spaces, the
// POSIX (unsigned) and the historic signed variant.
std::uint64_t tar_checksum_unsigned(TarBlock block);
std::int64_t tar_checksum_signed(TarBlock block);

bool is_zero_block(TarBlock block);

// A name for an error message: quoted, with control characters, quotes,
// backslashes and non-ASCII bytes escaped (\xNN), cut at 200 bytes.
std::string quote_name(std::string_view name);

}  // namespace chartprov::archive
