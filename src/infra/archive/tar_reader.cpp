#include "infra/archive/tar_reader.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <string_view>

namespace chartprov::archive {
namespace {

std::uint64_t padding_for(std::uint64_t size) { return (kTarBlockSize - size % kTarBlockSize) % kTarBlockSize; }

std::string at(std::uint64_t offset) { return "at offset " + std::to_string(offset); }

TarEntryType entry_type(char typeflag, std::string_view name) {
  switch (typeflag) {
    case '\0':  // pre-POSIX regular file; a trailing slash meant a directory
      return !name.empty() && name.back() == '/' ? TarEntryType::kDirectory : TarEntryType::kRegular;
    case '0':
    case '7':  // contiguous file: a regular file everywhere that matters
      return TarEntryType::kRegular;
    case '1': return TarEntryType::kHardlink;
    case '2': return TarEntryType::kSymlink;
    case '3': return TarEntryType::kCharDevice;
    case '4': return TarEntryType::kBlockDevice;
    case '5': return TarEntryType::kDirectory;
    case '6': return TarEntryType::kFifo;
    default: return TarEntryType::kOther;
  }
}

bool header_only(TarEntryType t) { return t != TarEntryType::kRegular && t != TarEntryType::kOther; }

bool all_zero(ByteView data) {
  return std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0; });
}

// Decimal digits only, no sign, no overflow.
bool parse_decimal(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

std::string typeflag_text(char t) {
  if (t >= 0x21 && t < 0x7f) return std::string("'") + t + "'";
  return "0x" + std::to_string(static_cast<unsigned char>(t));
}

}  // namespace

TarReader::TarReader(TarSink& sink, TarReaderLimits limits) : sink_(sink), limits_(limits) {}

Status TarReader::fail(Error e) {
  state_ = State::kFailed;
  return e;
}

Status TarReader::feed(ByteView data) {
  if (state_ == State::kFailed) return internal_error("tar reader used after an error");
  std::size_t i = 0;
  while (i < data.size()) {
    const ByteView rest = data.subspan(i);
    switch (state_) {
      case State::kHeader:
      case State::kZeroBlock: {
        const std::size_t n = std::min(kTarBlockSize - block_fill_, rest.size());
        std::memcpy(block_ + block_fill_, rest.data(), n);
        block_fill_ += n;
        i += n;
        offset_ += n;
        if (block_fill_ == kTarBlockSize) {
          block_fill_ = 0;
          if (Status s = on_block(); !s.ok()) return fail(s.error());
        }
        break;
      }
      case State::kExtended: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        ext_data_.append(reinterpret_cast<const char*>(rest.data()), n);
        i += n;
        offset_ += n;
        remaining_ -= n;
        if (remaining_ == 0) {
          if (Status s = on_extended_done(); !s.ok()) return fail(s.error());
          state_ = padding_ > 0 ? State::kPadding : State::kHeader;
        }
        break;
      }
      case State::kData: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
        if (Status s = sink_.on_data(rest.first(n)); !s.ok()) return fail(s.error());
        i += n;
        offset_ += n;
        remaining_ -= n;
        if (remaining_ == 0) {
          if (Status s = finish_entry_data(); !s.ok()) return fail(s.error());
        }
        break;
      }
      case State::kPadding: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(padding_, rest.size()));
        if (!all_zero(rest.first(n))) {
          return fail(input_error("non-zero padding after tar entry " + quote_name(current_name_) + " " + at(offset_)));
        }
        i += n;
        offset_ += n;
        padding_ -= n;
        if (padding_ == 0) state_ = State::kHeader;
        break;
      }
      case State::kEnd: {
        if (!all_zero(rest)) {
          return fail(input_error("data after the tar end-of-archive marker " + at(offset_)));
        }
        trailing_zeros_ += rest.size();
        offset_ += rest.size();
        i = data.size();
        if (trailing_zeros_ > limits_.max_trailing_zeros) {
          return fail(input_error("more than " + std::to_string(limits_.max_trailing_zeros) +
                                  " bytes of zero padding after the tar end-of-archive marker"));
        }
        break;
      }
      case State::kFailed: return internal_error("tar reader used after an error");
    }
  }
  return ok_status();
}

Status TarReader::on_block() {
  const TarBlock block(block_);
  const std::uint64_t header_offset = offset_ - kTarBlockSize;
  if (is_zero_block(block)) {
    if (state_ == State::kZeroBlock) {
      state_ = State::kEnd;
      return ok_status();
    }
    if (pax_seen_ || gnu_long_name_ || gnu_long_link_) {
      return input_error("tar extended header is not followed by an entry (end marker " + at(header_offset) + ")");
    }
    state_ = State::kZeroBlock;
    return ok_status();
  }
  if (state_ == State::kZeroBlock) {
    return input_error("tar header " + at(header_offset) +
                       " follows a single zero block (only the end-of-archive marker may be zero)");
  }
  return on_header(block);
}

Status TarReader::on_header(TarBlock block) {
  const std::uint64_t header_offset = offset_ - kTarBlockSize;
  const std::string_view raw_name = tar_field_text(block, kTarName);
  // Built only for a refusal: a chart has a dozen headers, each checked on every verify.
  const auto where = [&] { return "tar header " + at(header_offset) + " (" + quote_name(raw_name) + ")"; };

  std::optional<std::uint64_t> stored;
  if (!parse_tar_octal(block, kTarChecksum, stored) || !stored) {
    return input_error(header_offset == 0 ? "not a tar archive (no valid tar header at the start)"
                                          : where() + ": unreadable checksum field");
  }
  if (*stored != tar_checksum_unsigned(block) && static_cast<std::int64_t>(*stored) != tar_checksum_signed(block)) {
    return input_error(where() + ": header checksum mismatch (corrupt or not a tar archive)");
  }
  const char* magic = reinterpret_cast<const char*>(block.data() + kTarMagic.offset);
  const char* version = reinterpret_cast<const char*>(block.data() + kTarVersion.offset);
  const bool ustar = std::memcmp(magic, "ustar\0", 6) == 0 && std::memcmp(version, "00", 2) == 0;
  const bool gnu = std::memcmp(magic, "ustar ", 6) == 0 && std::memcmp(version, " \0", 2) == 0;
  if (!ustar && !gnu) return input_error(where() + ": not a POSIX ustar or GNU tar header (unknown magic)");

  std::optional<std::uint64_t> size;
  if (!parse_tar_octal(block, kTarSize, size)) return input_error(where() + ": unreadable or base-256 size field");
  std::optional<std::uint64_t> mode;
  if (!parse_tar_octal(block, kTarMode, mode)) return input_error(where() + ": unreadable mode field");
  const char typeflag = static_cast<char>(block[kTarTypeflag]);

  switch (typeflag) {
    case 'x':
    case 'g':
    case 'L':
    case 'K': {
      if (typeflag == 'x' && pax_seen_) return input_error(where() + ": two pax extended headers for one entry");
      if (typeflag == 'L' && gnu_long_name_) return input_error(where() + ": two GNU long names for one entry");
      if (typeflag == 'K' && gnu_long_link_) return input_error(where() + ": two GNU long link names for one entry");
      if (typeflag == 'g' && (pax_seen_ || gnu_long_name_ || gnu_long_link_)) {
        return input_error(where() + ": pax global header between an extended header and its entry");
      }
      const std::uint64_t n = size.value_or(0);
      if (n > limits_.max_extended_header) {
        return input_error(where() + ": extended header of " + std::to_string(n) + " bytes (limit " +
                           std::to_string(limits_.max_extended_header) + ")");
      }
      ext_type_ = typeflag;
      ext_header_name_ = std::string(raw_name);
      current_name_ = ext_header_name_;
      ext_data_.clear();
      ext_data_.reserve(static_cast<std::size_t>(n));
      remaining_ = n;
      padding_ = padding_for(n);
      if (n == 0) {
        TRY_STATUS(on_extended_done());
        state_ = State::kHeader;
      } else {
        state_ = State::kExtended;
      }
      return ok_status();
    }
    default: break;
  }

  if (pax_path_ && gnu_long_name_) {
    return input_error(where() + ": both a pax path and a GNU long name (ambiguous entry name)");
  }
  TarEntry e;
  e.header_offset = header_offset;
  e.typeflag = typeflag;
  if (pax_path_) {
    e.path = *pax_path_;
  } else if (gnu_long_name_) {
    e.path = *gnu_long_name_;
  } else {
    e.path = std::string(raw_name);
    const std::string_view prefix = ustar ? tar_field_text(block, kTarPrefix) : std::string_view{};
    if (!prefix.empty()) e.path = std::string(prefix) + "/" + e.path;
  }
  e.linkname = pax_linkpath_    ? *pax_linkpath_
               : gnu_long_link_ ? *gnu_long_link_
                                : std::string(tar_field_text(block, kTarLinkname));
  e.size = pax_size_ ? *pax_size_ : size.value_or(0);
  e.mode = static_cast<std::uint32_t>(mode.value_or(0) & 07777);
  e.type = entry_type(typeflag, e.path);
  pax_path_.reset();
  pax_size_.reset();
  pax_linkpath_.reset();
  gnu_long_name_.reset();
  gnu_long_link_.reset();
  pax_seen_ = false;

  current_name_ = e.path;
  TRY_STATUS(sink_.on_entry(e));
  if (header_only(e.type) && e.size > 0) {
    return input_error("tar entry " + quote_name(e.path) + " is a " + describe(e.type) + " but claims " +
                       std::to_string(e.size) + " data bytes (" + typeflag_text(typeflag) + ")");
  }
  remaining_ = e.size;
  padding_ = padding_for(e.size);
  if (remaining_ == 0) return finish_entry_data();
  state_ = State::kData;
  return ok_status();
}

Status TarReader::finish_entry_data() {
  TRY_STATUS(sink_.on_entry_end());
  state_ = padding_ > 0 ? State::kPadding : State::kHeader;
  return ok_status();
}

Status TarReader::on_extended_done() {
  const std::string what = ext_type_ == 'L' ? "GNU long name" : ext_type_ == 'K' ? "GNU long link name" : "pax header";
  if (ext_type_ == 'L' || ext_type_ == 'K') {
    std::string name = ext_data_;
    while (!name.empty() && name.back() == '\0') name.pop_back();
    if (name.find('\0') != std::string::npos) return input_error(what + " contains a NUL byte");
    if (name.empty()) return input_error(what + " is empty");
    (ext_type_ == 'L' ? gnu_long_name_ : gnu_long_link_) = std::move(name);
    return ok_status();
  }
  TRY_STATUS(parse_pax(ext_type_ == 'g'));
  if (ext_type_ == 'x') pax_seen_ = true;
  return ok_status();
}

// Records are "<length> <key>=<value>\n", length counting the whole record.
Status TarReader::parse_pax(bool global) {
  const std::string what = global ? "pax global header" : "pax header";
  std::string_view d = ext_data_;
  std::set<std::string, std::less<>> seen;
  while (!d.empty()) {
    const std::size_t sp = d.find(' ');
    std::uint64_t len = 0;
    if (sp == std::string_view::npos || !parse_decimal(d.substr(0, sp), len) || len > d.size() || len < sp + 3) {
      return input_error("malformed " + what + " record");
    }
    const std::string_view record = d.substr(0, static_cast<std::size_t>(len));
    if (record.back() != '\n') return input_error("malformed " + what + " record (no newline)");
    const std::string_view kv = record.substr(sp + 1, record.size() - sp - 2);
    const std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) return input_error("malformed " + what + " record (no key)");
    const std::string_view key = kv.substr(0, eq);
    const std::string_view value = kv.substr(eq + 1);
    d.remove_prefix(static_cast<std::size_t>(len));

    if (!seen.emplace(key).second) return input_error(what + " repeats the key " + quote_name(key));
    if (key.starts_with("GNU.sparse.")) return input_error("sparse files are not supported (" + what + ")");
    const bool names_entry = key == "path" || key == "size" || key == "linkpath";
    if (global) {
      // Readers disagree on whether global records apply to later entries.
      if (names_entry) return input_error(what + " sets " + quote_name(key) + " for all entries (refused)");
      continue;
    }
    if (key == "path") {
      if (value.empty()) return input_error(what + " has an empty path");
      if (value.find('\0') != std::string_view::npos) return input_error(what + " path contains a NUL byte");
      pax_path_ = std::string(value);
    } else if (key == "size") {
      std::uint64_t n = 0;
      if (!parse_decimal(value, n)) return input_error(what + " has an invalid size " + quote_name(value));
      pax_size_ = n;
    } else if (key == "linkpath") {
      pax_linkpath_ = std::string(value);
    }
  }
  return ok_status();
}

Status TarReader::finish() {
  switch (state_) {
    case State::kEnd: return ok_status();
    case State::kHeader:
      if (offset_ == 0) return input_error("empty tar stream");
      if (block_fill_ == 0) return input_error("tar stream ends without the end-of-archive marker (truncated)");
      return input_error("truncated tar header " + at(offset_ - block_fill_));
    case State::kZeroBlock:
      if (block_fill_ == 0)
        return input_error("tar stream ends after one zero block (truncated end-of-archive marker)");
      return input_error("truncated tar end-of-archive marker " + at(offset_ - block_fill_));
    case State::kExtended: return input_error("truncated tar extended header " + quote_name(ext_header_name_));
    case State::kData:
      return input_error("truncated tar entry " + quote_name(current_name_) + " (" + std::to_string(remaining_) +
                         " data bytes missing)");
    case State::kPadding: return input_error("truncated tar padding after entry " + quote_name(current_name_));
    case State::kFailed: return internal_error("tar reader used after an error");
  }
  return internal_error("tar reader in an unknown state");
}

}  // namespace chartprov::archive
