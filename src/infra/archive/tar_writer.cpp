#include "infra/archive/tar_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

namespace chartprov::archive {
namespace {

constexpr std::uint64_t kMaxOctal11 = 077777777777ull;  // what an 12-byte octal field holds

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '\0'; });
}

void put_octal(std::array<std::uint8_t, kTarBlockSize>& b, TarField f, std::uint64_t value) {
  // Zero-padded digits filling the field but its last byte, which stays NUL.
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(f.size - 1), static_cast<unsigned long long>(value));
  std::memcpy(b.data() + f.offset, buf, f.size - 1);
}

void put_text(std::array<std::uint8_t, kTarBlockSize>& b, TarField f, std::string_view s) {
  if (s.empty()) return;  // memcpy from an empty view's null pointer is undefined
  std::memcpy(b.data() + f.offset, s.data(), std::min(s.size(), f.size));
}

// Splits a long ASCII name at a slash into ustar prefix (<= 155) and name
// (<= 100), as Go does; false when no split fits.
bool split_ustar(std::string_view path, std::string_view& prefix, std::string_view& name) {
  if (path.size() <= kTarName.size) {
    prefix = {};
    name = path;
    return true;
  }
  std::size_t limit = std::min(path.size(), kTarPrefix.size + 1);
  if (limit == path.size() && path.back() == '/') --limit;
  const std::size_t slash = path.substr(0, limit).rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const std::size_t name_len = path.size() - slash - 1;
  if (name_len == 0 || name_len > kTarName.size || slash > kTarPrefix.size) return false;
  prefix = path.substr(0, slash);
  name = path.substr(slash + 1);
  return true;
}

std::string pax_record(std::string_view key, std::string_view value) {
  // The length counts its own digits: grow until it is self-consistent.
  const std::size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  std::size_t len = body + 1;
  while (std::to_string(len).size() + body != len) ++len;
  return std::to_string(len) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

}  // namespace

Status TarWriter::write_header(std::string_view name, char typeflag, std::uint32_t mode, std::uint64_t size,
                               std::uint64_t mtime) {
  std::string_view prefix;
  std::string_view short_name;
  if (!split_ustar(name, prefix, short_name)) return internal_error("tar name does not fit a ustar header");
  std::array<std::uint8_t, kTarBlockSize> b{};
  put_text(b, kTarName, short_name);
  put_octal(b, kTarMode, mode);
  put_octal(b, kTarUid, 0);
  put_octal(b, kTarGid, 0);
  put_octal(b, kTarSize, size);
  put_octal(b, kTarMtime, mtime);
  b[kTarTypeflag] = static_cast<std::uint8_t>(typeflag);
  put_text(b, kTarMagic, std::string_view("ustar\0", 6));
  put_text(b, kTarVersion, "00");
  put_octal(b, kTarDevmajor, 0);
  put_octal(b, kTarDevminor, 0);
  put_text(b, kTarPrefix, prefix);
  // Checksum as Go writes it: six octal digits, NUL, space.
  const std::uint64_t sum = tar_checksum_unsigned(TarBlock(b));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06llo", static_cast<unsigned long long>(sum));
  std::memcpy(b.data() + kTarChecksum.offset, buf, 6);
  b[kTarChecksum.offset + 6] = 0;
  b[kTarChecksum.offset + 7] = ' ';
  return out_(ByteView(b.data(), b.size()));
}

Status TarWriter::write_padded(ByteView data) {
  if (!data.empty()) TRY_STATUS(out_(data));
  const std::size_t pad = (kTarBlockSize - data.size() % kTarBlockSize) % kTarBlockSize;
  if (pad > 0) {
    const std::array<std::uint8_t, kTarBlockSize> zeros{};
    TRY_STATUS(out_(ByteView(zeros.data(), pad)));
  }
  return ok_status();
}

Status TarWriter::add_file(std::string_view path, std::uint32_t mode, std::uint64_t mtime, ByteView data) {
  if (finished_) return internal_error("tar writer used after finish");
  if (path.empty() || path.find('\0') != std::string_view::npos) return internal_error("invalid tar entry name");
  if (data.size() > kMaxOctal11 || mtime > kMaxOctal11)
    return input_error("file too large or mtime out of range for tar");
  std::string_view prefix;
  std::string_view name;
  if (is_ascii(path) && split_ustar(path, prefix, name)) {
    TRY_STATUS(write_header(path, '0', mode, data.size(), mtime));
  } else {
    // Go names the pax header "<dir>/PaxHeaders.0/<base>", cut to fit.
    const std::size_t slash = path.rfind('/');
    const std::size_t base_start = slash == std::string_view::npos ? 0 : slash + 1;
    const std::string dir(path.substr(0, base_start));
    std::string header_name = dir + "PaxHeaders.0/" + std::string(path.substr(base_start));
    for (char& c : header_name) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '_';
    }
    if (header_name.size() > kTarName.size) header_name.resize(kTarName.size);
    const std::string records = pax_record("path", path);
    TRY_STATUS(write_header(header_name, 'x', 0, records.size(), mtime));
    TRY_STATUS(write_padded(as_bytes(records)));
    // The ustar name field keeps an ASCII stand-in that fits.
    std::string stand_in(path.substr(base_start));
    for (char& c : stand_in) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '_';
    }
    if (stand_in.size() > kTarName.size) stand_in.resize(kTarName.size);
    TRY_STATUS(write_header(stand_in, '0', mode, data.size(), mtime));
  }
  return write_padded(data);
}

Status TarWriter::finish() {
  if (finished_) return internal_error("tar writer used after finish");
  finished_ = true;
  const std::array<std::uint8_t, 2 * kTarBlockSize> zeros{};
  return out_(ByteView(zeros.data(), zeros.size()));
}

}  // namespace chartprov::archive
