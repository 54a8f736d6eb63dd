#include "util/go_yaml_text.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "util/utf8.hpp"

namespace chartprov {
namespace {

// Go's YAML reader accepts #x9 | #xA | #xD | [#x20-#x7E] | #x85 | [#xA0-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF] and refuses everything else.
bool go_yaml_printable(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
         (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

std::string code_point(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// Simple case folding onto ASCII, as far as it matters for ASCII field names.
char32_t fold(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp - 'A' + 'a';
  if (cp == 0x017F) return 's';  // LATIN SMALL LETTER LONG S
  if (cp == 0x212A) return 'k';  // KELVIN SIGN
  return cp;
}

}  // namespace

Status check_go_yaml_text(std::string_view text, std::string_view what, int first_line) {
  int line = first_line;
  const auto refuse = [&](const std::string& why) {
    return input_error(std::string(what) + ": " + why + " (line " + std::to_string(line) + ")");
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto d = decode_utf8(text.substr(i));
    if (!d) return refuse("not UTF-8");
    const char32_t cp = d->cp;
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
      return refuse(code_point(cp) + " is a line break to helm's YAML parser and not to others; remove it");
    }
    if (cp == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) {
      return refuse("a CR without LF is a line break to some YAML parsers only; use LF or CRLF");
    }
    if (cp == 0xFEFF && (i != 0 || first_line != 1)) return refuse("a byte order mark (U+FEFF) after the start");
    if (!go_yaml_printable(cp))
      return refuse("control character " + code_point(cp) + " (helm's YAML parser refuses it)");
    if (cp == '\n') ++line;
    i += d->length;
  }
  return ok_status();
}

bool go_json_key_matches(std::string_view key, std::string_view field) {
  std::size_t f = 0;
  for (std::size_t i = 0; i < key.size();) {
    const auto d = decode_utf8(key.substr(i));
    if (!d || f >= field.size()) return false;
    if (fold(d->cp) != fold(static_cast<unsigned char>(field[f]))) return false;
    i += d->length;
    ++f;
  }
  return f == field.size();
}

}  // namespace chartprov
