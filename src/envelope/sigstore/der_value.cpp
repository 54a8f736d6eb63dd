#include "envelope/sigstore/der_value.hpp"

#include <cstdio>
#include <string>

namespace chartprov::sigstore {
namespace {

std::string hex_byte(std::uint8_t b) {
  char text[5];
  std::snprintf(text, sizeof text, "0x%02x", b);
  return text;
}

}  // namespace

Result<ByteView> der_contents(ByteView der, std::uint8_t tag) {
  if (der.size() < 2) return input_error("truncated DER value");
  if (der[0] != tag) return input_error("DER tag " + hex_byte(der[0]) + " where " + hex_byte(tag) + " was expected");
  std::size_t length = der[1];
  std::size_t header = 2;
  if (length >= 0x80) {
    const std::size_t bytes = length & 0x7f;
    if (bytes == 0 || bytes > 4) return input_error("unsupported DER length");
    if (der.size() < 2 + bytes) return input_error("truncated DER value");
    length = 0;
    for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | der[2 + i];
    // Shortest form: no leading zero byte, and the long form only from 128 on.
    if (der[2] == 0 || length < 0x80) return input_error("DER length not in its shortest form");
    header += bytes;
  }
  if (der.size() - header < length) return input_error("truncated DER value");
  if (der.size() - header > length) return input_error("trailing bytes after the DER value");
  return der.subspan(header, length);
}

}  // namespace chartprov::sigstore
