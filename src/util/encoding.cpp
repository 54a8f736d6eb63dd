#include "util/encoding.hpp"

#include <array>

namespace chartprov {
namespace {

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string hex_with(ByteView data, const char* digits) {
  std::string out;
  out.reserve(data.size() * 2);
  for (const auto b : data) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<int, 256> make_b64_table() {
  std::array<int, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kB64[i])] = i;
  return t;
}
constexpr auto kB64Table = make_b64_table();

}  // namespace

std::string hex_encode(ByteView data) { return hex_with(data, kHexLower); }
std::string hex_encode_upper(ByteView data) { return hex_with(data, kHexUpper); }

Result<Bytes> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return input_error("hex string has odd length");
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return input_error("invalid hex character");
    out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
  }
  return out;
}

std::string base64_encode(ByteView data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back(kB64[v & 63]);
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = data[i] << 16;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

Result<Bytes> base64_decode(std::string_view text) {
  Bytes out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  int quad = 0;  // characters (including '=') in the current group of four
  int pad = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // A whole group of four data characters at a group boundary: three bytes
    // at once (a release record is mostly that). Anything else, one by one.
    if (quad == 0 && pad == 0 && i + 4 <= n) {
      const int a = kB64Table[p[i]], b = kB64Table[p[i + 1]], c = kB64Table[p[i + 2]], d = kB64Table[p[i + 3]];
      if ((a | b | c | d) >= 0) {
        const auto group = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
        out.push_back(static_cast<std::uint8_t>(group >> 16));
        out.push_back(static_cast<std::uint8_t>((group >> 8) & 0xff));
        out.push_back(static_cast<std::uint8_t>(group & 0xff));
        acc = group;
        i += 4;
        continue;
      }
    }
    const char c = static_cast<char>(p[i++]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (quad < 2) return input_error("invalid base64 padding");
      ++pad;
      ++quad;
      if (quad == 4) quad = 0;
      continue;
    }
    if (pad > 0) return input_error("base64 data after padding");
    const int v = kB64Table[static_cast<unsigned char>(c)];
    if (v < 0) return input_error("invalid base64 character");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    quad = (quad + 1) % 4;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (quad != 0) return input_error("truncated base64 data");
  if (pad > 2) return input_error("invalid base64 padding");
  // Non-canonical trailing bits are a sign of garbling.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return input_error("non-canonical base64 data");
  return out;
}

}  // namespace chartprov
