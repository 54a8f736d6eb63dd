#include "envelope/cosign/pem_block.hpp"

#include "envelope/cosign/go_base64.hpp"
#include "util/encoding.hpp"

namespace chartprov::cosign {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

// One line without its LF (and a CR before it), trailing spaces and tabs
// trimmed, as Go's getLine; `rest` moves past it.
std::string_view take_line(std::string_view& rest) {
  const auto lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// The block whose BEGIN line starts `text` (after "-----BEGIN "), or why not;
// *consumed (when given) is the length of text up to the end of its END line.
Result<PemBlock> block_at(std::string_view text, std::size_t* consumed = nullptr) {
  std::string_view rest = text;
  const std::string_view type_line = take_line(rest);
  if (type_line.size() < kDashes.size() || type_line.substr(type_line.size() - kDashes.size()) != kDashes) {
    return input_error("malformed PEM BEGIN line");
  }
  PemBlock block;
  block.label = std::string(type_line.substr(0, type_line.size() - kDashes.size()));
  // RFC 1421 headers ("Key: Value" lines) are skipped, as Go keeps them aside.
  for (std::string_view probe = rest; !probe.empty();) {
    const std::string_view line = take_line(probe);
    if (line.find(':') == std::string_view::npos) break;
    rest = probe;
  }
  const std::string end_line = std::string(kEnd) + block.label + std::string(kDashes);
  std::size_t end = std::string_view::npos;
  if (rest.substr(0, end_line.size()) == end_line) {
    end = 0;
  } else if (const auto at = rest.find("\n" + end_line); at != std::string_view::npos) {
    end = at + 1;
  }
  if (end == std::string_view::npos) return input_error("PEM block has no matching END line (truncated?)");
  std::string body;
  for (const char c : rest.substr(0, end)) {
    if (c != ' ' && c != '\t') body += c;
  }
  auto der = go_std_base64_decode(as_bytes(body));
  if (!der) return input_error("PEM body is not base64");
  block.der = std::move(*der);
  if (consumed != nullptr) *consumed = text.size() - rest.size() + end + end_line.size();
  return block;
}

// Where the next BEGIN line at the start of a line is, from `from` on (npos: none).
std::size_t next_begin(std::string_view text, std::size_t from) {
  for (;;) {
    const auto begin = text.find(kBegin, from);
    if (begin == std::string_view::npos || begin == 0 || text[begin - 1] == '\n') return begin;
    from = begin + 1;
  }
}

}  // namespace

Result<PemBlock> read_pem_block(std::string_view text) {
  // Like Go's pem.Decode: the first BEGIN line (at the start of a line) whose
  // block is complete; a broken one before it is skipped.
  std::optional<Error> first_error;
  for (std::size_t begin = next_begin(text, 0); begin != std::string_view::npos; begin = next_begin(text, begin + 1)) {
    auto block = block_at(text.substr(begin + kBegin.size()));
    if (block) return block;
    if (!first_error) first_error = block.error();
  }
  if (first_error) return *first_error;
  return input_error("no PEM block (no '-----BEGIN' line)");
}

Result<std::vector<PemBlock>> read_pem_blocks(std::string_view text, std::size_t max_blocks) {
  std::vector<PemBlock> out;
  for (std::size_t from = next_begin(text, 0); from != std::string_view::npos;) {
    if (out.size() == max_blocks) return input_error("more than " + std::to_string(max_blocks) + " PEM blocks");
    const std::size_t body = from + kBegin.size();
    std::size_t consumed = 0;
    auto block = block_at(text.substr(body), &consumed);
    if (!block) return block.error();
    out.push_back(std::move(*block));
    from = next_begin(text, body + consumed);
  }
  if (out.empty()) return input_error("no PEM block (no '-----BEGIN' line)");
  return out;
}

std::string write_pem_block(std::string_view label, ByteView der) {
  const std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

}  // namespace chartprov::cosign
