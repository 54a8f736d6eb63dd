#include "envelope/prov/cleartext.hpp"

#include <utility>

#include "openpgp/armor.hpp"
#include "util/line_reader.hpp"

namespace chartprov::envelope::prov {
namespace {

constexpr std::string_view kBegin = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr std::string_view kSigBegin = "-----BEGIN PGP SIGNATURE-----";
constexpr std::string_view kSigEnd = "-----END PGP SIGNATURE-----";
constexpr std::string_view kNotFound = "signature block not found";

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_trailing_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  return trim_trailing_blanks(s);
}

// Offset of the first line at or after `from` (a line start) that starts
// with `prefix`; npos if none.
std::size_t find_line_starting_with(std::string_view file, std::string_view prefix, std::size_t from) {
  for (std::size_t pos = from; pos < file.size(); ++pos) {
    pos = file.find(prefix, pos);
    if (pos == std::string_view::npos) return pos;
    if (pos == 0 || file[pos - 1] == '\n') return pos;
  }
  return std::string_view::npos;
}

Status parse_header(std::string_view line, Cleartext& out) {
  // Control (tab included) and non-ASCII characters void the block in Helm's reader.
  for (const char c : line) {
    if (c < 0x20 || c > 0x7e) return input_error("control or non-ASCII character in an armor header");
  }
  line = trim_trailing_blanks(line);
  constexpr std::string_view kHash = "Hash:";
  if (line.substr(0, kHash.size()) != kHash) {
    return input_error("unexpected armor header in the signed message (only Hash: is allowed): " +
                       std::string(line.substr(0, 40)));
  }
  out.has_hash_header = true;
  std::string_view values = line.substr(kHash.size());
  while (true) {
    const std::size_t comma = values.find(',');
    const std::string_view v = trim(values.substr(0, comma));
    if (v.empty()) return input_error("empty value in the Hash: header");
    out.hash_headers.emplace_back(v);
    if (comma == std::string_view::npos) break;
    values.remove_prefix(comma + 1);
  }
  return ok_status();
}

// One line of the signed text, un-escaped and without trailing blanks, or
// what is wrong with it where verifiers would disagree about its bytes.
Result<std::string_view> text_line(std::string_view raw) {
  // Helm keeps a CR that is not part of a CR LF in the signed data, gpg strips it.
  if (raw.find('\r') != std::string_view::npos) return input_error("carriage return inside the line");
  if (raw.substr(0, 2) == "- ") {
    raw.remove_prefix(2);
  } else if (!raw.empty() && raw[0] == '-') {
    return input_error("starts with '-' but is not dash-escaped");
  }
  return trim_trailing_blanks(raw);
}

std::size_t line_number(std::string_view file, std::size_t start, std::size_t lines_from_start) {
  std::size_t n = lines_from_start;
  for (std::size_t i = 0; i < start; ++i) n += file[i] == '\n' ? 1 : 0;
  return n;
}

}  // namespace

Result<Cleartext> parse_cleartext(std::string_view file) {
  const std::size_t start = find_line_starting_with(file, kBegin, 0);
  if (start == std::string_view::npos) return input_error(std::string(kNotFound));
  LineReader lines(file.substr(start), LineReader::Trim::kLineEnd);
  // Helm's reader voids the block for any suffix on the BEGIN line, blanks included.
  if (lines.next() != kBegin) return input_error(std::string(kNotFound) + " (text after the BEGIN line)");
  if (find_line_starting_with(file, kBegin, start + 1) != std::string_view::npos) {
    return input_error("more than one signed message in the file (which one counts is ambiguous)");
  }

  Cleartext out;
  // Armor headers up to the first whitespace-only line.
  while (true) {
    if (lines.done()) return input_error(std::string(kNotFound) + " (truncated in the armor headers)");
    const std::string_view line = lines.next();
    if (trim(line).empty()) break;
    TRY_STATUS(parse_header(line, out));
  }

  // Text lines up to the line that is exactly -----BEGIN PGP SIGNATURE-----.
  out.signed_text.reserve(file.size());
  out.plaintext.reserve(file.size());
  bool first = true;
  while (true) {
    if (lines.done()) return input_error(std::string(kNotFound) + " (no " + std::string(kSigBegin) + " line)");
    const std::string_view armor_start = lines.rest();
    const std::string_view raw = lines.next();
    if (raw == kSigBegin) {
      if (find_line_starting_with(armor_start, kSigEnd, 0) == std::string_view::npos) {
        return input_error(std::string(kNotFound) + " (truncated: no " + std::string(kSigEnd) + " line)");
      }
      auto armored = openpgp::dearmor(armor_start);
      if (!armored.ok()) return armored.error().with_context("signature");
      out.signature_packets = std::move(armored->data);
      return out;
    }
    const auto line = text_line(raw);
    if (!line.ok()) {
      return input_error("signed message, line " + std::to_string(line_number(file, start, lines.number())) + ": " +
                         line.error().message);
    }
    if (!first) {
      out.signed_text += "\r\n";
      out.plaintext += '\n';
    }
    first = false;
    out.signed_text.append(*line);
    out.plaintext.append(*line);
  }
}

Result<std::string> signed_text_for(std::string_view text) {
  if (text.empty() || text.back() != '\n') return input_error("text to sign must end with a newline");
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') return input_error("text to sign contains a carriage return (line " + std::to_string(line) + ")");
    if (c == '\n') {
      if (i > 0 && is_blank(text[i - 1])) {
        return input_error("text to sign has trailing whitespace on line " + std::to_string(line) +
                           " (verifiers would strip it)");
      }
      out += "\r\n";
      ++line;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string write_cleartext(std::string_view text, std::string_view hash_name, ByteView signature_packets) {
  std::string out;
  out.reserve(text.size() + text.size() / 16 + signature_packets.size() * 4 / 3 + 256);
  out.append(kBegin);
  out.append("\nHash: ");
  out.append(hash_name);
  out.append("\n\n");
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const std::size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    if (text[pos] == '-') out.append("- ");  // dash-escaping (RFC 4880 §7.1)
    out.append(text.substr(pos, end - pos));
    pos = end;
  }
  // Helm v4's layout: one more LF, so the signed text ends with CR LF.
  out.push_back('\n');
  out.append(openpgp::armor(signature_packets, "SIGNATURE"));
  return out;
}

}  // namespace chartprov::envelope::prov
