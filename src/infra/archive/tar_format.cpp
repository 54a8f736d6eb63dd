#include "infra/archive/tar_format.hpp"

#include <algorithm>
#include <cstdio>

namespace chartprov::archive {

const char* describe(TarEntryType type) {
  switch (type) {
    case TarEntryType::kRegular: return "regular file";
    case TarEntryType::kDirectory: return "directory";
    case TarEntryType::kSymlink: return "symbolic link";
    case TarEntryType::kHardlink: return "hard link";
    case TarEntryType::kCharDevice: return "character device";
    case TarEntryType::kBlockDevice: return "block device";
    case TarEntryType::kFifo: return "FIFO";
    case TarEntryType::kOther: return "unsupported entry type";
  }
  return "unsupported entry type";
}

std::string_view tar_field_text(TarBlock block, TarField field) {
  const char* begin = reinterpret_cast<const char*>(block.data() + field.offset);
  const char* end = std::find(begin, begin + field.size, '\0');
  return {begin, static_cast<std::size_t>(end - begin)};
}

bool parse_tar_octal(TarBlock block, TarField field, std::optional<std::uint64_t>& out) {
  out.reset();
  const std::uint8_t* p = block.data() + field.offset;
  const std::uint8_t* const end = p + field.size;
  if ((*p & 0x80) != 0) return false;  // base-256: only for values far beyond our limits
  while (p < end && *p == ' ') ++p;
  std::uint64_t value = 0;
  bool digits = false;
  for (; p < end && *p >= '0' && *p <= '7'; ++p) {
    if (value > (UINT64_MAX >> 3)) return false;
    value = (value << 3) | static_cast<std::uint64_t>(*p - '0');
    digits = true;
  }
  for (; p < end; ++p) {
    if (*p != '\0' && *p != ' ') return false;
  }
  if (digits) out = value;
  return true;
}

// Every byte, with the checksum field counted as eight spaces: the plain loops
// below vectorise (this runs for every header of every chart verified).
std::uint64_t tar_checksum_unsigned(TarBlock block) {
  std::uint64_t sum = 0;
  for (const std::uint8_t b : block) sum += b;
  for (std::size_t i = kTarChecksum.offset; i < kTarChecksum.offset + kTarChecksum.size; ++i) sum -= block[i];
  return sum + kTarChecksum.size * static_cast<std::uint64_t>(' ');
}

std::int64_t tar_checksum_signed(TarBlock block) {
  std::int64_t sum = 0;
  for (const std::uint8_t b : block) sum += static_cast<std::int8_t>(b);
  for (std::size_t i = kTarChecksum.offset; i < kTarChecksum.offset + kTarChecksum.size; ++i) {
    sum -= static_cast<std::int8_t>(block[i]);
  }
  return sum + static_cast<std::int64_t>(kTarChecksum.size) * ' ';
}

bool is_zero_block(TarBlock block) {
  return std::all_of(block.begin(), block.end(), [](std::uint8_t b) { return b == 0; });
}

std::string quote_name(std::string_view name) {
  constexpr std::size_t kMax = 200;
  std::string out = "'";
  for (std::size_t i = 0; i < name.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (name.size() > kMax) out += "...";
  out += "'";
  return out;
}

}  // namespace chartprov::archive
