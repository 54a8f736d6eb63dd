#include "openpgp/armor.hpp"

#include <utility>

#include "util/encoding.hpp"

namespace chartprov::openpgp {
namespace {

constexpr std::size_t kMaxLineLength = 96;

// Splits off one line (without LF, CR or trailing spaces/tabs).
std::string_view next_line(std::string_view& rest, bool& had_line) {
  had_line = !rest.empty();
  const std::size_t lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::uint32_t crc24(ByteView data) {
  std::uint32_t crc = 0xB704CEu;
  for (const auto b : data) {
    crc ^= static_cast<std::uint32_t>(b) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if ((crc & 0x1000000u) != 0) crc ^= 0x1864CFBu;
    }
  }
  return crc & 0xFFFFFFu;
}

Result<Armored> dearmor(std::string_view text) {
  bool had = false;
  std::string_view rest = text;
  const std::string_view begin = next_line(rest, had);
  constexpr std::string_view kBegin = "-----BEGIN PGP ";
  if (!starts_with(begin, kBegin) || begin.size() < kBegin.size() + 6 || begin.substr(begin.size() - 5) != "-----") {
    return input_error("armor: no BEGIN PGP line");
  }
  Armored out;
  out.label = std::string(begin.substr(kBegin.size(), begin.size() - kBegin.size() - 5));
  const std::string end_line = "-----END PGP " + out.label + "-----";

  // Armor headers, up to a blank line.
  while (true) {
    if (rest.empty()) return input_error("armor: truncated (no blank line after the headers)");
    const std::string_view line = next_line(rest, had);
    if (line.empty()) break;
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) {
      return input_error("armor: malformed header line");
    }
    out.headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }

  std::string body;
  std::string_view crc_text;
  bool ended = false;
  while (!rest.empty()) {
    const std::string_view line = next_line(rest, had);
    if (line == end_line) {
      ended = true;
      break;
    }
    if (!crc_text.empty()) return input_error("armor: data after the checksum line");
    if (line.size() > kMaxLineLength) return input_error("armor: line longer than 96 characters");
    if (!line.empty() && line[0] == '=' && line.size() == 5) {
      crc_text = line.substr(1);
      continue;
    }
    if (starts_with(line, "-----")) return input_error("armor: unexpected " + std::string(line));
    body.append(line);
  }
  if (!ended) return input_error("armor: truncated (no " + end_line + " line)");
  auto decoded = base64_decode(body);
  if (!decoded.ok()) return decoded.error().with_context("armor");
  out.data = std::move(decoded).value();
  if (out.data.empty()) return input_error("armor: no data");
  if (!crc_text.empty()) {
    const auto crc_bytes = base64_decode(crc_text);
    if (!crc_bytes.ok() || crc_bytes->size() != 3) return input_error("armor: malformed checksum line");
    const Bytes& crc = *crc_bytes;
    const std::uint32_t want = (static_cast<std::uint32_t>(crc[0]) << 16) | (crc[1] << 8) | crc[2];
    if (want != crc24(out.data)) return input_error("armor checksum mismatch (the data is garbled)");
  }
  return out;
}

std::string armor(ByteView data, std::string_view label) {
  std::string out = "-----BEGIN PGP ";
  out.append(label);
  out.append("-----\n\n");
  const std::string b64 = base64_encode(data);
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out.push_back('\n');
  }
  const std::uint32_t crc = crc24(data);
  const Bytes crc_bytes = {static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 8),
                           static_cast<std::uint8_t>(crc)};
  out.push_back('=');
  out.append(base64_encode(crc_bytes));
  out.append("\n-----END PGP ");
  out.append(label);
  out.append("-----\n");
  return out;
}

}  // namespace chartprov::openpgp
