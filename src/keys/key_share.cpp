#include "keys/key_share.hpp"

#include <array>

#include "infra/openssl/digest.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::keys {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CHARTPROV KEY SHARE-----";
constexpr std::string_view kEnd = "-----END CHARTPROV KEY SHARE-----";
constexpr std::array<std::uint8_t, 4> kMagic = {'C', 'P', 'K', 'S'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kSplitIdSize = 16;
constexpr std::size_t kKeyIdSize = 32;
constexpr std::size_t kChecksumSize = 32;

void put_u16(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Record: magic, version, k, n, x, split id, key id, created (u32), user id
// (u16 length + UTF-8), share length (u16) + share bytes, SHA-256 of all before.
Bytes record_bytes(const KeyShare& s) {
  Bytes out(kMagic.begin(), kMagic.end());
  out.push_back(kVersion);
  out.push_back(s.threshold);
  out.push_back(s.total);
  out.push_back(s.share.x);
  out.insert(out.end(), s.split_id.begin(), s.split_id.end());
  out.insert(out.end(), s.key_id.begin(), s.key_id.end());
  put_u32(out, s.openpgp_created);
  put_u16(out, s.user_id.size());
  out.insert(out.end(), s.user_id.begin(), s.user_id.end());
  put_u16(out, s.share.y.bytes().size());
  out.insert(out.end(), s.share.y.bytes().begin(), s.share.y.bytes().end());
  const auto sum = crypto::sha256(out);
  out.insert(out.end(), sum.begin(), sum.end());
  return out;
}

class Reader {
 public:
  explicit Reader(ByteView data) : d_(data) {}
  bool take(std::size_t n, ByteView& out) {
    if (d_.size() - pos_ < n) return false;
    out = d_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool u8(std::uint8_t& v) {
    ByteView b;
    if (!take(1, b)) return false;
    v = b[0];
    return true;
  }
  bool u16(std::size_t& v) {
    ByteView b;
    if (!take(2, b)) return false;
    v = (std::size_t{b[0]} << 8) | b[1];
    return true;
  }
  bool u32(std::uint32_t& v) {
    ByteView b;
    if (!take(4, b)) return false;
    v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    return true;
  }
  bool at_end() const { return pos_ == d_.size(); }

 private:
  ByteView d_;
  std::size_t pos_ = 0;
};

Result<KeyShare> parse_record(ByteView record) {
  const auto bad = [](const std::string& why) { return input_error("not a valid key share: " + why); };
  if (record.size() < kChecksumSize) return bad("too short");
  const ByteView body = record.first(record.size() - kChecksumSize);
  const auto sum = crypto::sha256(body);
  if (!std::equal(sum.begin(), sum.end(), record.end() - kChecksumSize)) {
    return bad("checksum mismatch (the share was changed or mistyped)");
  }
  Reader r(body);
  ByteView magic;
  std::uint8_t version = 0;
  KeyShare s;
  if (!r.take(kMagic.size(), magic) || !std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    return bad("wrong magic");
  }
  if (!r.u8(version) || version != kVersion) return bad("unsupported version");
  ByteView split_id;
  ByteView key_id;
  std::size_t uid_len = 0;
  std::size_t y_len = 0;
  ByteView uid;
  ByteView y;
  if (!r.u8(s.threshold) || !r.u8(s.total) || !r.u8(s.share.x) || !r.take(kSplitIdSize, split_id) ||
      !r.take(kKeyIdSize, key_id) || !r.u32(s.openpgp_created) || !r.u16(uid_len) || !r.take(uid_len, uid) ||
      !r.u16(y_len) || !r.take(y_len, y) || !r.at_end()) {
    return bad("truncated or malformed record");
  }
  if (s.threshold < 1 || s.threshold > s.total) return bad("threshold out of range");
  if (s.share.x < 1 || s.share.x > s.total) return bad("share index out of range");
  if (y.empty() || y.size() > kMaxSharedSecret) return bad("share length out of range");
  s.split_id.assign(split_id.begin(), split_id.end());
  s.key_id.assign(key_id.begin(), key_id.end());
  s.user_id.assign(as_chars(uid));
  s.share.y = SecretBytes(Bytes(y.begin(), y.end()));
  return s;
}

}  // namespace

std::string encode_key_share(const KeyShare& share) {
  const Bytes record = record_bytes(share);
  std::string out(kBegin);
  out += "\nShare: " + std::to_string(share.share.x) + " of " + std::to_string(share.total) + ", any " +
         std::to_string(share.threshold) + " rebuild the key\nKey-Id: " + hex_encode(share.key_id) + "\n\n";
  const std::string b64 = base64_encode(record);
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += kEnd;
  out += "\n";
  return out;
}

Result<KeyShare> decode_key_share(std::string_view text) {
  if (text.size() > kMaxShareText)
    return input_error("not a valid key share: larger than " + byte_size_text(kMaxShareText));
  const auto begin = text.find(kBegin);
  if (begin == std::string_view::npos) return input_error("not a key share (no '" + std::string(kBegin) + "' line)");
  const auto end = text.find(kEnd, begin);
  if (end == std::string_view::npos) return input_error("not a valid key share: the END line is missing (truncated?)");
  std::string_view inner = text.substr(begin + kBegin.size(), end - begin - kBegin.size());
  // Header lines end at the first blank line; the rest is base64.
  const auto blank = inner.find("\n\n");
  const auto blank_crlf = inner.find("\r\n\r\n");
  if (blank == std::string_view::npos && blank_crlf == std::string_view::npos) {
    return input_error("not a valid key share: no blank line after the header lines");
  }
  inner.remove_prefix(blank != std::string_view::npos ? blank + 2 : blank_crlf + 4);
  std::string b64;
  for (const char c : inner) {
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
    b64 += c;
  }
  auto record = base64_decode(b64);
  if (!record) return input_error("not a valid key share: the body is not base64");
  return parse_record(*record);
}

}  // namespace chartprov::keys
