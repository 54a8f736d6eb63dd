#include "envelope/prov/cleartext.hpp"

#include <algorithm>

#include "openpgp/armor.hpp"

namespace chartprov::envelope::prov {
namespace {

constexpr std::string_view kBegin = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr std::string_view kSigBegin = "-----BEGIN PGP SIGNATURE-----";

std::string_view strip_trailing(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// Offset of the next line that starts with `prefix`, at or after `from`
// (which is a line start or 0); npos if none.
std::size_t find_line_starting_with(std::string_view file, std::string_view prefix, std::size_t from) {
  std::size_t pos = from;
  while (pos < file.size()) {
    const std::size_t found = file.find(prefix, pos);
    if (found == std::string_view::npos) return found;
    if (found == 0 || file[found - 1] == '\n') return found;
    pos = found + 1;
  }
  return std::string_view::npos;
}

std::string_view line_at(std::string_view file, std::size_t pos) {
  const std::size_t eol = file.find('\n', pos);
  return strip_trailing(file.substr(pos, eol == std::string_view::npos ? eol : eol - pos));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status parse_hash_header(std::string_view line, Cleartext& out) {
  constexpr std::string_view kHash = "Hash:";
  if (line.substr(0, kHash.size()) != kHash) {
    return input_error("unexpected armor header in the signed message: " + std::string(line.substr(0, 40)));
  }
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u > 0x7e) return input_error("control or non-ASCII character in the Hash: header");
  }
  out.has_hash_header = true;
  std::string_view values = line.substr(kHash.size());
  while (!values.empty()) {
    const std::size_t comma = values.find(',');
    const std::string_view v = trim(values.substr(0, comma));
    if (v.empty()) return input_error("empty value in the Hash: header");
    out.hash_headers.emplace_back(v);
    if (comma == std::string_view::npos) break;
    values.remove_prefix(comma + 1);
  }
  if (out.hash_headers.empty()) return input_error("empty Hash: header");
  return ok_status();
}

}  // namespace

Result<Cleartext> parse_cleartext(std::string_view file) {
  const std::size_t start = find_line_starting_with(file, kBegin, 0);
  if (start == std::string_view::npos) return input_error("signature block not found");
  // A suffix on the BEGIN line makes the block invalid for Helm's reader too.
  if (line_at(file, start) != kBegin) return input_error("signature block not found (text after the BEGIN line)");
  if (find_line_starting_with(file, kBegin, start + 1) != std::string_view::npos) {
    return input_error("more than one signed message in the file (which one counts is ambiguous)");
  }
  std::string_view rest = file.substr(start);
  rest.remove_prefix(std::min(rest.size(), rest.find('\n') == std::string_view::npos ? rest.size() : rest.find('\n') + 1));

  Cleartext out;
  // Armor headers up to the first whitespace-only line.
  while (true) {
    if (rest.empty()) return input_error("signature block not found (truncated headers)");
    const std::size_t eol = rest.find('\n');
    const std::string_view line = strip_trailing(rest.substr(0, eol));
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    if (trim(line).empty()) break;
    TRY_STATUS(parse_hash_header(line, out));
  }

  // Text lines up to the BEGIN PGP SIGNATURE line.
  bool first = true;
  while (true) {
    if (rest.empty()) return input_error("signature block not found (no BEGIN PGP SIGNATURE line)");
    const std::size_t eol = rest.find('\n');
    std::string_view line = strip_trailing(rest.substr(0, eol));
    if (line == kSigBegin) break;
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    if (line.substr(0, 2) == "- ") line.remove_prefix(2);
    if (!first) {
      out.signed_text += "\r\n";
      out.plaintext += '\n';
    }
    first = false;
    out.signed_text.append(line);
    out.plaintext.append(line);
  }
  // Helm's reader reports a cut-off file as a missing block; say both.
  if (find_line_starting_with(rest, "-----END PGP SIGNATURE-----", 0) == std::string_view::npos) {
    return input_error("signature block not found (truncated: no -----END PGP SIGNATURE----- line)");
  }
  auto armored = openpgp::dearmor(rest);
  if (!armored.ok()) return input_error("signature " + armored.error().message);
  if (armored->label != "SIGNATURE") return input_error("expected a PGP SIGNATURE block, found " + armored->label);
  out.signature_packets = std::move(armored->data);
  return out;
}

Result<std::string> signed_text_for(std::string_view text) {
  if (text.empty() || text.back() != '\n') return input_error("text to sign must end with a newline");
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') return input_error("text to sign contains a carriage return");
    if (c == '\n') {
      if (i > line_start && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
        return input_error("text to sign has trailing whitespace on line " +
                           std::to_string(std::count(text.begin(), text.begin() + static_cast<long>(i), '\n') + 1) +
                           " (verifiers would strip it)");
      }
      out += "\r\n";
      line_start = i + 1;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string write_cleartext(std::string_view text, std::string_view hash_name, ByteView signature_packets) {
  std::string out;
  out.reserve(text.size() + 1024);
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
  out.push_back('\n');
  out.append(openpgp::armor(signature_packets, "SIGNATURE"));
  return out;
}

}  // namespace chartprov::envelope::prov
