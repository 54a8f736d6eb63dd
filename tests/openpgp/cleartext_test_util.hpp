#pragma once
// A small, test-only reader for cleartext-signed files (RFC 9580 §7), so the
// signature codec can be tested on the .prov vectors without the envelope
// layer: the signed bytes and the binary signature packets.
#include <stdexcept>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/encoding.hpp"

namespace chartprov::test {

struct Cleartext {
  std::string signed_text;  // canonical: un-escaped, trailing blanks dropped, CRLF between lines
  Bytes packets;            // the de-armored signature block
};

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

inline bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

inline Cleartext split_cleartext(const std::string& text) {
  const auto lines = split_lines(text);
  std::size_t i = 0;
  while (i < lines.size() && lines[i] != "-----BEGIN PGP SIGNED MESSAGE-----") ++i;
  if (i == lines.size()) throw std::runtime_error("no cleartext block");
  ++i;
  while (i < lines.size() && !is_blank(lines[i])) ++i;  // armor headers (Hash:)
  ++i;
  Cleartext out;
  bool first = true;
  for (; i < lines.size() && lines[i] != "-----BEGIN PGP SIGNATURE-----"; ++i) {
    std::string line = lines[i];
    if (line.rfind("- ", 0) == 0) line.erase(0, 2);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (!first) out.signed_text += "\r\n";
    out.signed_text += line;
    first = false;
  }
  if (i == lines.size()) throw std::runtime_error("no signature block");
  ++i;
  while (i < lines.size() && !is_blank(lines[i])) ++i;  // armor headers
  ++i;
  std::string b64;
  for (; i < lines.size() && lines[i] != "-----END PGP SIGNATURE-----"; ++i) {
    if (lines[i].rfind("=", 0) == 0) continue;  // CRC-24
    b64 += lines[i];
  }
  if (i == lines.size()) throw std::runtime_error("unterminated signature block");
  auto decoded = base64_decode(b64);
  if (!decoded.ok()) throw std::runtime_error(decoded.error().message);
  out.packets = std::move(decoded).value();
  return out;
}

}  // namespace chartprov::test
