#pragma once
// UTF-8, strictly: the shortest form only, no surrogates (U+D800..U+DFFF),
// nothing past U+10FFFF. One decoder for every text check that needs it.
#include <cstddef>
#include <optional>
#include <string_view>

namespace chartprov {

struct Utf8Char {
  char32_t cp = 0;
  std::size_t length = 0;  // bytes, 1..4
};

// The character at the start of `s`, or nullopt when `s` is empty or does not
// start with a well-formed UTF-8 sequence.
std::optional<Utf8Char> decode_utf8(std::string_view s);

// Whether all of `s` is well-formed UTF-8 ("" is).
bool is_utf8(std::string_view s);

}  // namespace chartprov
