#include "util/glob.hpp"

#include <optional>

namespace chartprov {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

// Decodes one UTF-8 character as Go does: an invalid sequence is U+FFFD of
// width 1. `s` must not be empty.
char32_t decode_rune(std::string_view s, std::size_t& width) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  width = 1;
  if (b0 < 0x80) return b0;
  std::size_t len = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, r = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, r = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    return kRuneError;
  }
  if (s.size() < len) return kRuneError;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return kRuneError;
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return kRuneError;
  width = len;
  return r;
}

// One possibly escaped character of a class; nullopt when malformed.
std::optional<char32_t> class_char(std::string_view& chunk) {
  if (chunk.empty() || chunk[0] == '-' || chunk[0] == ']') return std::nullopt;
  if (chunk[0] == '\\') {
    chunk.remove_prefix(1);
    if (chunk.empty()) return std::nullopt;
  }
  std::size_t width = 0;
  const char32_t r = decode_rune(chunk, width);
  if (r == kRuneError && width == 1) return std::nullopt;
  chunk.remove_prefix(width);
  if (chunk.empty()) return std::nullopt;  // the class is never closed
  return r;
}

// Splits off a leading run of '*' and the following chunk of single-character
// terms ('*' inside a class does not end the chunk).
void scan_chunk(std::string_view& pattern, bool& star, std::string_view& chunk) {
  star = false;
  while (!pattern.empty() && pattern[0] == '*') {
    pattern.remove_prefix(1);
    star = true;
  }
  bool in_class = false;
  std::size_t i = 0;
  for (; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 < pattern.size()) ++i;
    } else if (c == '[') {
      in_class = true;
    } else if (c == ']') {
      in_class = false;
    } else if (c == '*' && !in_class) {
      break;
    }
  }
  chunk = pattern.substr(0, i);
  pattern.remove_prefix(i);
}

// Matches `chunk` against the start of `s`; the rest of `s` on success.
// A malformed chunk matches nothing (patterns are checked before use).
std::optional<std::string_view> match_chunk(std::string_view chunk, std::string_view s) {
  while (!chunk.empty()) {
    if (s.empty()) return std::nullopt;
    switch (chunk[0]) {
      case '[': {
        std::size_t width = 0;
        const char32_t r = decode_rune(s, width);
        s.remove_prefix(width);
        chunk.remove_prefix(1);
        if (chunk.empty()) return std::nullopt;
        const bool negated = chunk[0] == '^';
        if (negated) chunk.remove_prefix(1);
        bool matched = false;
        for (int ranges = 0;; ++ranges) {
          if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
            chunk.remove_prefix(1);
            break;
          }
          const auto lo = class_char(chunk);
          if (!lo) return std::nullopt;
          char32_t hi = *lo;
          if (chunk[0] == '-') {
            chunk.remove_prefix(1);
            const auto h = class_char(chunk);
            if (!h) return std::nullopt;
            hi = *h;
          }
          if (*lo <= r && r <= hi) matched = true;
        }
        if (matched == negated) return std::nullopt;
        break;
      }
      case '?': {
        if (s[0] == '/') return std::nullopt;
        std::size_t width = 0;
        decode_rune(s, width);
        s.remove_prefix(width);
        chunk.remove_prefix(1);
        break;
      }
      case '\\':
        chunk.remove_prefix(1);
        if (chunk.empty()) return std::nullopt;
        [[fallthrough]];
      default:
        if (chunk[0] != s[0]) return std::nullopt;
        s.remove_prefix(1);
        chunk.remove_prefix(1);
        break;
    }
  }
  return s;
}

// Syntax of one chunk, independent of any name.
bool chunk_is_valid(std::string_view chunk) {
  while (!chunk.empty()) {
    if (chunk[0] == '\\') {
      if (chunk.size() < 2) return false;
      chunk.remove_prefix(2);
    } else if (chunk[0] == '[') {
      chunk.remove_prefix(1);
      if (chunk.empty()) return false;
      if (chunk[0] == '^') chunk.remove_prefix(1);
      for (int ranges = 0;; ++ranges) {
        if (!chunk.empty() && chunk[0] == ']' && ranges > 0) {
          chunk.remove_prefix(1);
          break;
        }
        if (!class_char(chunk)) return false;
        if (chunk[0] == '-') {
          chunk.remove_prefix(1);
          if (!class_char(chunk)) return false;
        }
      }
    } else {
      chunk.remove_prefix(1);
    }
  }
  return true;
}

}  // namespace

Status check_glob(std::string_view pattern) {
  std::string_view rest = pattern;
  while (!rest.empty()) {
    bool star = false;
    std::string_view chunk;
    scan_chunk(rest, star, chunk);
    if (!chunk_is_valid(chunk)) return input_error("syntax error in pattern");
  }
  return ok_status();
}

bool glob_match(std::string_view pattern, std::string_view name) {
  if (!check_glob(pattern).ok()) return false;
  while (!pattern.empty()) {
    bool star = false;
    std::string_view chunk;
    scan_chunk(pattern, star, chunk);
    if (star && chunk.empty()) return name.find('/') == std::string_view::npos;  // trailing '*'
    const auto here = match_chunk(chunk, name);
    if (here && (here->empty() || !pattern.empty())) {
      name = *here;
      continue;
    }
    bool advanced = false;
    if (star) {
      // Let the star swallow 1..k more bytes, never a '/'.
      for (std::size_t i = 0; i < name.size() && name[i] != '/'; ++i) {
        const auto t = match_chunk(chunk, name.substr(i + 1));
        if (!t) continue;
        if (pattern.empty() && !t->empty()) continue;
        name = *t;
        advanced = true;
        break;
      }
    }
    if (!advanced) return false;
  }
  return name.empty();
}

}  // namespace chartprov
