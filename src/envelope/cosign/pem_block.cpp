#include "envelope/cosign/pem_block.hpp"

#include "util/encoding.hpp"

namespace chartprov::cosign {

Result<PemBlock> read_pem_block(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  const auto begin = text.find(kBegin);
  if (begin == std::string_view::npos) return input_error("no PEM block (no '-----BEGIN' line)");
  const auto label_end = text.find("-----", begin + kBegin.size());
  const auto line_end = text.find('\n', begin);
  if (label_end == std::string_view::npos || (line_end != std::string_view::npos && label_end > line_end)) {
    return input_error("malformed PEM BEGIN line");
  }
  PemBlock block;
  block.label = std::string(text.substr(begin + kBegin.size(), label_end - begin - kBegin.size()));
  if (line_end == std::string_view::npos) return input_error("PEM block is truncated");
  const std::string end_line = "-----END " + block.label + "-----";
  const auto end = text.find(end_line, line_end);
  if (end == std::string_view::npos) return input_error("PEM block has no matching END line (truncated?)");
  std::string b64;
  for (const char c : text.substr(line_end + 1, end - line_end - 1)) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    b64 += c;
  }
  auto der = base64_decode(b64);
  if (!der) return input_error("PEM body is not base64");
  block.der = std::move(*der);
  return block;
}

std::string write_pem_block(std::string_view label, ByteView der) {
  const std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

}  // namespace chartprov::cosign
