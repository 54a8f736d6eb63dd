#include "envelope/cosign/go_base64.hpp"

namespace chartprov::cosign {
namespace {

int b64_value(std::uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<Bytes> go_std_base64_decode(ByteView in) {
  Bytes out;
  std::uint32_t acc = 0;
  int n = 0;    // sextets in the current quantum
  int pad = 0;  // '=' seen
  for (const std::uint8_t c : in) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      if (n < 2 || n + pad >= 4) return std::nullopt;
      ++pad;
      continue;
    }
    if (pad > 0) return std::nullopt;  // data after padding
    const int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    if (++n == 4) {
      out.push_back(static_cast<std::uint8_t>(acc >> 16));
      out.push_back(static_cast<std::uint8_t>(acc >> 8));
      out.push_back(static_cast<std::uint8_t>(acc));
      acc = 0;
      n = 0;
    }
  }
  if (n == 0) return pad == 0 ? std::optional<Bytes>(std::move(out)) : std::nullopt;
  if (n + pad != 4) return std::nullopt;  // padding is required
  acc <<= 6 * (4 - n);
  out.push_back(static_cast<std::uint8_t>(acc >> 16));
  if (n == 3) out.push_back(static_cast<std::uint8_t>(acc >> 8));
  return out;
}

}  // namespace chartprov::cosign
