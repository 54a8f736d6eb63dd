#pragma once
// Hex and base64 (RFC 4648, standard alphabet) codecs.
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov {

std::string hex_encode(ByteView data);  // lower case
std::string hex_encode_upper(ByteView data);
Result<Bytes> hex_decode(std::string_view hex);  // either case, even length

std::string base64_encode(ByteView data);
// Strict: standard alphabet, '=' padding required where due; whitespace
// (space, tab, CR, LF) between characters is skipped.
Result<Bytes> base64_decode(std::string_view text);

}  // namespace chartprov
