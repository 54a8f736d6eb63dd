#include "openpgp/armor.hpp"

#include <array>
#include <utility>

#include "util/encoding.hpp"
#include "util/line_reader.hpp"

namespace chartprov::openpgp {
namespace {

// gocrypto's reader limit; RFC 4880 writers stay at 76.
constexpr std::size_t kMaxLineLength = 96;
constexpr std::string_view kBegin = "-----BEGIN PGP ";
constexpr std::string_view kDashes = "-----";

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

bool is_printable_ascii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

Error line_error(const LineReader& lines, const std::string& what) {
  return input_error("armor line " + std::to_string(lines.number()) + ": " + what);
}

// "Key: Value" or "Key:" (an empty value, its space stripped as trailing).
Status parse_header(std::string_view line, Armored& out) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_printable_ascii(line) ||
      line.substr(0, colon).find(' ') != std::string_view::npos ||
      (colon + 1 < line.size() && line[colon + 1] != ' ')) {
    return input_error("malformed header line");
  }
  const std::string_view value = colon + 2 <= line.size() ? line.substr(colon + 2) : std::string_view();
  out.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return ok_status();
}

std::uint32_t parse_crc(std::string_view digits, bool& ok) {
  const auto bytes = base64_decode(digits);
  ok = bytes.ok() && bytes->size() == 3;
  if (!ok) return 0;
  const Bytes& b = *bytes;
  return (static_cast<std::uint32_t>(b[0]) << 16) | (static_cast<std::uint32_t>(b[1]) << 8) | b[2];
}

// RFC 4880 §6.1's bitwise CRC-24, a byte at a time through a table made at compile time.
constexpr std::array<std::uint32_t, 256> make_crc24_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t crc = b << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if ((crc & 0x1000000u) != 0) crc ^= 0x1864CFBu;
    }
    t[b] = crc & 0xFFFFFFu;
  }
  return t;
}
constexpr auto kCrc24Table = make_crc24_table();

}  // namespace

std::uint32_t crc24(ByteView data) {
  std::uint32_t crc = 0xB704CEu;
  for (const auto b : data) crc = ((crc << 8) ^ kCrc24Table[((crc >> 16) ^ b) & 0xFF]) & 0xFFFFFFu;
  return crc;
}

Result<Armored> dearmor(std::string_view text) {
  LineReader lines(text, LineReader::Trim::kTrailingWhitespace);
  const std::string_view begin = lines.next();
  if (begin.substr(0, kBegin.size()) != kBegin || begin.size() <= kBegin.size() + kDashes.size() ||
      begin.substr(begin.size() - kDashes.size()) != kDashes || !is_printable_ascii(begin)) {
    return input_error("armor: no -----BEGIN PGP ...----- line");
  }
  Armored out;
  out.label = std::string(begin.substr(kBegin.size(), begin.size() - kBegin.size() - kDashes.size()));
  const std::string end_line = "-----END PGP " + out.label + "-----";

  // Armor headers, up to a whitespace-only line.
  while (true) {
    if (lines.done()) return input_error("armor: truncated (no blank line after the BEGIN line)");
    const std::string_view line = lines.next();
    if (line.empty()) break;
    if (auto s = parse_header(line, out); !s.ok()) return line_error(lines, s.error().message);
  }

  std::string body;
  body.reserve(text.size());
  std::string_view crc_text;
  bool ended = false;
  while (!lines.done()) {
    const std::string_view line = lines.next();
    if (line == end_line) {
      ended = true;
      break;
    }
    if (line.substr(0, kDashes.size()) == kDashes)
      return line_error(lines, "unexpected " + std::string(line.substr(0, 64)));
    if (!crc_text.empty()) return line_error(lines, "data after the checksum line");
    if (line.size() > kMaxLineLength) return line_error(lines, "longer than 96 characters");
    if (line.size() == 5 && line[0] == '=') {
      crc_text = line.substr(1);
      continue;
    }
    for (const char c : line) {
      if (!is_base64_char(c)) return line_error(lines, "invalid base64 character");
    }
    body.append(line);
  }
  if (!ended) return input_error("armor: truncated (no " + end_line + " line)");
  auto decoded = base64_decode(body);
  if (!decoded.ok()) return decoded.error().with_context("armor");
  out.data = std::move(decoded).value();
  if (out.data.empty()) return input_error("armor: no data");
  if (!crc_text.empty()) {
    bool well_formed = false;
    const std::uint32_t want = parse_crc(crc_text, well_formed);
    if (!well_formed) return input_error("armor: malformed checksum line");
    if (want != crc24(out.data)) return input_error("armor checksum mismatch (the data is garbled)");
  }
  return out;
}

std::string armor(ByteView data, std::string_view label) {
  const std::string b64 = base64_encode(data);
  std::string out;
  out.reserve(b64.size() + b64.size() / 64 + 2 * label.size() + 64);
  out.append(kBegin);
  out.append(label);
  out.append("-----\n\n");
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out.push_back('\n');
  }
  const std::uint32_t crc = crc24(data);
  const std::uint8_t crc_bytes[3] = {static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 8),
                                     static_cast<std::uint8_t>(crc)};
  out.push_back('=');
  out.append(base64_encode(crc_bytes));
  out.append("\n-----END PGP ");
  out.append(label);
  out.append("-----\n");
  return out;
}

}  // namespace chartprov::openpgp
