#include "audit/audit_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <optional>

#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "util/byte_size.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/fd.hpp"
#include "util/rfc3339.hpp"
#include "util/writeall.hpp"

namespace chartprov::audit {
namespace {

std::string line_hash(std::string_view line) { return hex_encode(crypto::sha256(as_bytes(line))); }

// A record's own hash, as its last member: `{...},"hash":"<64 hex>"}` over the
// bytes of `{...}`. The last line has no successor to vouch for it; with its
// own hash, editing it (deny -> allow) is seen as well.
constexpr std::string_view kHashKey = R"(,"hash":")";
constexpr std::size_t kSealSize = kHashKey.size() + 64 + 2;  // ,"hash":"<hex>"}

std::string seal(const std::string& body) {
  std::string line = body.substr(0, body.size() - 1);
  line.append(kHashKey).append(line_hash(body)).append(R"("})");
  return line;
}

// The record without its seal, or nullopt when the seal is missing or wrong.
std::optional<std::string> unseal(std::string_view line) {
  if (line.size() <= kSealSize || line.substr(line.size() - kSealSize, kHashKey.size()) != kHashKey ||
      line.substr(line.size() - 2) != R"("})") {
    return std::nullopt;
  }
  std::string body(line.substr(0, line.size() - kSealSize));
  body.push_back('}');
  if (line.substr(line.size() - 66, 64) != line_hash(body)) return std::nullopt;
  return body;
}

// The last complete line of the file (files are small per line; read backwards in blocks).
Result<std::string> last_line(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return input_error("cannot stat the audit log");
  const off_t size = st.st_size;
  if (size == 0) return std::string();
  std::string tail;
  off_t pos = size;
  while (pos > 0 && tail.size() <= kMaxLine + 1) {
    const off_t chunk = std::min<off_t>(pos, 4096);
    pos -= chunk;
    std::string buf(static_cast<std::size_t>(chunk), '\0');
    if (::pread(fd, buf.data(), buf.size(), pos) != chunk) return input_error("cannot read the audit log");
    tail.insert(0, buf);
    const auto nl = tail.find_last_of('\n', tail.size() >= 2 ? tail.size() - 2 : 0);
    if (nl != std::string::npos && nl + 1 < tail.size()) {
      tail = tail.substr(nl + 1);
      break;
    }
  }
  if (tail.empty() || tail.back() != '\n') return input_error("the audit log does not end with a complete line");
  tail.pop_back();
  if (tail.size() > kMaxLine) return input_error("the audit log's last line is too long");
  return tail;
}

}  // namespace

Result<std::string> append_event(const std::filesystem::path& log, const nlohmann::json& event, std::int64_t now) {
  const UniqueFd fd(::open(log.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (fd.get() < 0) return input_error("cannot open the audit log " + log.string());
  if (::flock(fd.get(), LOCK_EX) != 0) return input_error("cannot lock the audit log");  // released on close
  TRY(const std::string prev_line, last_line(fd.get()));
  std::uint64_t seq = 1;
  std::string prev = kGenesis;
  if (!prev_line.empty()) {
    if (!unseal(prev_line)) {
      return input_error("the audit log's last line does not match its own hash (edited?); refusing to extend it");
    }
    const auto j = parse_untrusted_json(prev_line);
    if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_unsigned()) {
      return input_error("the audit log's last line is not an audit record; refusing to extend it");
    }
    seq = j["seq"].get<std::uint64_t>() + 1;
    prev = line_hash(prev_line);
  }
  const std::int64_t t = now_or(now);
  nlohmann::ordered_json record;
  record["seq"] = seq;
  record["time"] = format_rfc3339(t);
  record["prev"] = prev;
  record["event"] = event;
  const std::string line = seal(record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (line.size() > kMaxLine) return input_error("audit event larger than " + byte_size_text(kMaxLine));
  if (writeall(fd.get(), line + "\n") != 0) return input_error("cannot write the audit log");
  if (::fsync(fd.get()) != 0) return input_error("cannot sync the audit log");
  return line_hash(line);
}

Result<HeadAnchor> parse_head_anchor(std::string_view text) {
  HeadAnchor a;
  const auto colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view seq = text.substr(0, colon);
    if (seq.empty() || seq.size() > 19 || seq.find_first_not_of("0123456789") != std::string_view::npos) {
      return usage_error("an audit head is SEQ:HASH (as `audit head` prints it) or HASH");
    }
    a.seq = std::stoull(std::string(seq));
    text.remove_prefix(colon + 1);
  }
  if (text.size() != 64 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
    return usage_error("an audit head's hash is 64 hex digits (SHA-256)");
  }
  a.hash = std::string(text);
  for (char& c : a.hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return a;
}

std::string format_head_anchor(std::uint64_t seq, std::string_view hash) {
  return std::to_string(seq) + ":" + std::string(hash);
}

Result<ChainCheck> verify_chain(const std::filesystem::path& log, const std::optional<std::string>& expect_head,
                                const std::optional<HeadAnchor>& anchor) {
  std::ifstream in(log, std::ios::binary);
  if (!in) return input_error("cannot read " + log.string());
  ChainCheck c;
  std::string prev = kGenesis;
  std::string line;
  std::uint64_t n = 0;
  // The genesis (line 0) is every chain's start.
  bool anchor_found = anchor && anchor->hash == kGenesis && anchor->seq.value_or(0) == 0;
  const auto broken = [&](const std::string& why) {
    c.intact = false;
    c.reason = "line " + std::to_string(n) + ": " + why;
    return c;
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.size() > kMaxLine) return broken("longer than " + byte_size_text(kMaxLine));
    const auto body = unseal(line);
    if (!body) return broken("its own hash is missing or does not match it (the line was edited)");
    const auto j = parse_untrusted_json(*body);
    if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_unsigned() || !j.contains("prev") ||
        !j["prev"].is_string() || !j.contains("event") || j.contains("hash")) {
      return broken("not an audit record");
    }
    if (j["seq"].get<std::uint64_t>() != n) {
      return broken("sequence number " + std::to_string(j["seq"].get<std::uint64_t>()) + " where " + std::to_string(n) +
                    " belongs (a line was removed, added or moved)");
    }
    if (j["prev"].get<std::string>() != prev)
      return broken("does not follow the line before it (a line was edited, removed or moved)");
    prev = line_hash(line);
    if (anchor && !anchor_found && prev == anchor->hash && anchor->seq.value_or(n) == n) {
      anchor_found = true;
      c.anchor_line = n;
    }
  }
  if (!in.eof()) return input_error("cannot read " + log.string());
  c.lines = n;
  c.head = prev;
  if (expect_head && *expect_head != prev) {
    c.reason =
        "the head is " + prev + ", not the recorded " + *expect_head + " (lines were cut off or added at the end)";
    return c;
  }
  if (anchor && !anchor_found) {
    c.reason = "the anchored head " + (anchor->seq ? format_head_anchor(*anchor->seq, anchor->hash) : anchor->hash) +
               " is not in the chain (a line up to it was edited, removed or re-sealed, or the log was replaced)";
    return c;
  }
  c.intact = true;
  return c;
}

}  // namespace chartprov::audit
