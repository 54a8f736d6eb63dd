#include "tlog/witness_request.hpp"

#include <algorithm>

#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

Error bad(const std::string& why) { return input_error("add-checkpoint: " + why); }

// A decimal without leading zeros that fits 63 bits.
bool parse_size(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return false;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  out = 0;
  for (char c : s) out = out * 10 + static_cast<std::uint64_t>(c - '0');
  return true;
}

}  // namespace

Result<std::string> format_add_checkpoint(const AddCheckpoint& request) {
  if (request.proof.size() > kMaxProofLines) return bad("a proof of more than 63 hashes");
  std::string out = "old " + std::to_string(request.old_size) + "\n";
  for (const auto& h : request.proof) {
    if (h.size() != 32) return bad("a proof hash is not 32 bytes");
    out += base64_encode(h);
    out += '\n';
  }
  out += '\n';
  out += request.checkpoint;
  return out;
}

Result<AddCheckpoint> parse_add_checkpoint(std::string_view body) {
  if (body.size() > kMaxAddCheckpoint) return bad("the request is over 80 KiB");
  AddCheckpoint request;
  auto next_line = [&body](std::string_view& line) {
    const auto nl = body.find('\n');
    if (nl == std::string_view::npos) return false;
    line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    return true;
  };
  std::string_view line;
  if (!next_line(line) || line.substr(0, 4) != "old " || !parse_size(line.substr(4), request.old_size)) {
    return bad("the first line is not \"old <size>\"");
  }
  while (true) {
    if (!next_line(line)) return bad("no empty line before the checkpoint");
    if (line.empty()) break;
    if (request.proof.size() == kMaxProofLines) return bad("more than 63 proof lines");
    auto hash = base64_decode(line);
    if (!hash.ok() || hash->size() != 32) return bad("a proof line is not base64 of 32 bytes");
    request.proof.push_back(std::move(*hash));
  }
  if (body.empty()) return bad("no checkpoint");
  request.checkpoint = std::string(body);
  return request;
}

}  // namespace chartprov::tlog
