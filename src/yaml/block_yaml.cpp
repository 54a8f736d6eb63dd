#include "yaml/block_yaml.hpp"

#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>

#include <string>

namespace chartprov::yaml {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxKey = 1000;  // yaml-cpp's implicit keys end at 1024 characters
constexpr std::size_t kMaxStreamLine = 1 << 20;
constexpr std::size_t npos = std::string_view::npos;

const std::string kPlainTag = "?";
const std::string kQuotedTag = "!";

struct Line {
  std::string_view text;  // without its LF
  int number = 0;         // 0-based, as YAML::Mark counts lines
  std::size_t pos = 0;    // byte offset of its first byte
  std::size_t indent = 0;
};

bool in_subset(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;  // tabs, CR, controls, every non-ASCII byte
  }
  return true;
}

bool is_null_word(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool key_start(char c) { return is_alnum(c) || c == '_' || c == '/'; }
bool key_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '/' || c == '-'; }

// YAML's indicator characters cannot start a plain scalar here (some can in
// YAML, followed by a non-space: those are left to yaml-cpp).
bool plain_start(char c) { return c != ' ' && std::string_view("-?:,[]{}#&*!|>'\"%@`").find(c) == npos; }

// The lines of a text or a stream, skipping those without a token (blank, or
// only a comment).
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  explicit Cursor(std::istream& in) : stream_(&in) {}

  // False: the next line leaves the subset.
  bool advance() {
    for (;;) {
      const std::size_t pos = next_pos_;
      const int number = next_number_;
      std::string_view raw;
      bool lf = false;
      if (!read_line(raw, lf)) {
        at_end_ = true;
        return true;
      }
      ended_with_lf_ = lf;
      next_pos_ += raw.size() + (lf ? 1 : 0);
      if (lf) ++next_number_;
      if (!in_subset(raw)) return false;
      const std::size_t indent = raw.find_first_not_of(' ');
      if (indent == npos || raw[indent] == '#') continue;
      line_ = Line{raw, number, pos, indent};
      return true;
    }
  }

  bool at_end() const { return at_end_; }
  const Line& line() const { return line_; }

  // yaml-cpp's mark for the end of the input (a null there takes it) is the
  // line after the last LF, column 0, when the input ends with a LF; without
  // one its column does not follow a simple rule, and such a null is left to it.
  bool eof_mark_known() const { return ended_with_lf_ || next_pos_ == 0; }
  YAML::Mark eof_mark() const {
    YAML::Mark m;
    m.pos = static_cast<int>(next_pos_);
    m.line = next_number_;
    m.column = 0;
    return m;
  }

 private:
  bool read_line(std::string_view& out, bool& lf) {
    if (stream_ == nullptr) {
      if (offset_ >= text_.size()) return false;
      const std::size_t end = text_.find('\n', offset_);
      lf = end != npos;
      out = text_.substr(offset_, lf ? end - offset_ : npos);
      offset_ = lf ? end + 1 : text_.size();
      return true;
    }
    if (!std::getline(*stream_, buffer_)) return false;
    lf = !stream_->eof();
    if (buffer_.size() > kMaxStreamLine) buffer_.assign(1, '\x01');  // leaves the subset: yaml-cpp takes it
    out = buffer_;
    return true;
  }

  std::string_view text_;
  std::size_t offset_ = 0;
  std::istream* stream_ = nullptr;
  std::string buffer_;
  std::size_t next_pos_ = 0;
  int next_number_ = 0;
  bool at_end_ = false;
  bool ended_with_lf_ = false;
  Line line_;
};

struct Scalar {
  std::string_view value;
  bool quoted = false;
  bool null = false;
};

struct Key {
  std::string_view value;
  bool quoted = false;
  std::size_t after = 0;  // just past the ':'
};

// Only blanks, or blanks and then a comment, from `i` to the end of the line.
bool blank_or_comment(std::string_view text, std::size_t i) {
  const std::size_t j = text.find_first_not_of(' ', i);
  return j == npos || (text[j] == '#' && j > i);
}

// A quoted scalar without escapes, closed on this line; `close` is where its closing quote is.
bool scan_quoted(std::string_view text, std::size_t s, std::string_view& body, std::size_t& close) {
  const char q = text[s];
  close = text.find(q, s + 1);
  if (close == npos) return false;
  body = text.substr(s + 1, close - s - 1);
  if (q == '"' && body.find('\\') != npos) return false;
  return q != '\'' || close + 1 >= text.size() || text[close + 1] != '\'';  // '' is an escape
}

bool scan_key(std::string_view text, std::size_t s, Key& out) {
  if (s >= text.size()) return false;
  std::size_t colon = 0;
  if (text[s] == '"' || text[s] == '\'') {
    std::size_t close = 0;
    if (!scan_quoted(text, s, out.value, close)) return false;
    colon = close + 1;
    out.quoted = true;
  } else {
    if (!key_start(text[s])) return false;
    colon = s + 1;
    while (colon < text.size() && key_char(text[colon])) ++colon;
    out.value = text.substr(s, colon - s);
    out.quoted = false;
    if (is_null_word(out.value)) return false;
  }
  if (colon >= text.size() || text[colon] != ':') return false;
  if (colon + 1 < text.size() && text[colon + 1] != ' ') return false;
  if (out.value.size() > kMaxKey) return false;
  out.after = colon + 1;
  return true;
}

// A value that starts at text[s] and takes the rest of the line.
bool scan_value(std::string_view text, std::size_t s, Scalar& out) {
  if (text[s] == '"' || text[s] == '\'') {
    std::size_t close = 0;
    if (!scan_quoted(text, s, out.value, close) || !blank_or_comment(text, close + 1)) return false;
    out.quoted = true;
    out.null = false;
    return true;
  }
  if (!plain_start(text[s])) return false;
  const std::size_t comment = text.find(" #", s);
  std::string_view v = text.substr(s, comment == npos ? npos : comment - s);
  while (v.back() == ' ') v.remove_suffix(1);
  if (v.find(": ") != npos || v.back() == ':') return false;  // a mapping where none may start
  if (v.starts_with("---") || v.starts_with("...")) return false;
  out.value = v;
  out.quoted = false;
  out.null = is_null_word(v);
  return true;
}

bool is_entry(const Line& l, std::size_t col) {
  return l.text[col] == '-' && (col + 1 == l.text.size() || l.text[col + 1] == ' ');
}

class BlockParser {
 public:
  BlockParser(Cursor& cursor, YAML::EventHandler& handler) : c_(cursor), h_(handler) {}

  bool parse() {
    if (!c_.advance() || c_.at_end()) return false;  // an empty document: yaml-cpp says what it is
    const Line& l = c_.line();
    Key k;
    if (l.indent != 0 || !scan_key(l.text, 0, k)) return false;
    h_.OnDocumentStart(mark(0));
    if (!mapping(0)) return false;
    if (!c_.at_end()) return false;
    h_.OnDocumentEnd();
    return true;
  }

 private:
  YAML::Mark mark(std::size_t column) const {
    const Line& l = c_.line();
    YAML::Mark m;
    m.pos = static_cast<int>(l.pos + column);
    m.line = l.number;
    m.column = static_cast<int>(column);
    return m;
  }

  void emit_scalar(const Scalar& s, std::size_t column) {
    if (s.null) {
      h_.OnNull(mark(column), YAML::NullAnchor);
    } else {
      h_.OnScalar(mark(column), s.quoted ? kQuotedTag : kPlainTag, YAML::NullAnchor, std::string(s.value));
    }
  }

  // The current line holds a scalar at column s that ends it; afterwards no
  // line may be indented deeper than `col` (that would continue the scalar).
  bool inline_value(std::size_t s, std::size_t col) {
    Scalar v;
    if (!scan_value(c_.line().text, s, v)) return false;
    emit_scalar(v, s);
    if (!c_.advance()) return false;
    return c_.at_end() || c_.line().indent <= col;
  }

  // The value of a key or an entry whose line ended after it; the cursor is
  // on the next line. A sequence may sit at a key's own indentation.
  bool block_value(std::size_t col, bool compact_sequence) {
    if (c_.at_end()) {
      if (!c_.eof_mark_known()) return false;
      h_.OnNull(c_.eof_mark(), YAML::NullAnchor);
      return true;
    }
    const Line& l = c_.line();
    if (l.indent > col) {
      Key k;
      if (is_entry(l, l.indent)) return sequence(l.indent);
      if (scan_key(l.text, l.indent, k)) return mapping(l.indent);
      return false;  // a scalar on a line of its own
    }
    if (l.indent == col && compact_sequence && is_entry(l, col)) return sequence(col);
    h_.OnNull(mark(l.indent), YAML::NullAnchor);
    return true;
  }

  // The current line has a key at column col.
  bool mapping(std::size_t col) {
    if (++depth_ > kMaxDepth) return false;
    h_.OnMapStart(mark(col), kPlainTag, YAML::NullAnchor, YAML::EmitterStyle::Block);
    for (;;) {
      Key k;
      const std::string_view text = c_.line().text;
      if (!scan_key(text, col, k)) return false;
      h_.OnScalar(mark(col), k.quoted ? kQuotedTag : kPlainTag, YAML::NullAnchor, std::string(k.value));
      const std::size_t v = text.find_first_not_of(' ', k.after);
      if (v != npos && text[v] != '#') {
        if (!inline_value(v, col)) return false;
      } else {
        if (!c_.advance() || !block_value(col, true)) return false;
      }
      if (c_.at_end() || c_.line().indent < col) break;
      if (c_.line().indent > col || is_entry(c_.line(), col)) return false;
    }
    h_.OnMapEnd();
    --depth_;
    return true;
  }

  // The current line has an entry ("-") at column col.
  bool sequence(std::size_t col) {
    if (++depth_ > kMaxDepth) return false;
    h_.OnSequenceStart(mark(col), kPlainTag, YAML::NullAnchor, YAML::EmitterStyle::Block);
    for (;;) {
      const std::string_view text = c_.line().text;
      const std::size_t v = text.find_first_not_of(' ', col + 1);
      Key k;
      if (v == npos || text[v] == '#') {
        if (!c_.advance() || !block_value(col, false)) return false;
      } else {
        if (is_entry(c_.line(), v)) return false;  // "- - x"
        if (!(scan_key(text, v, k) ? mapping(v) : inline_value(v, col))) return false;
      }
      if (c_.at_end() || c_.line().indent < col) break;
      if (c_.line().indent > col) return false;
      if (!is_entry(c_.line(), col)) break;  // a key of the mapping this sequence is the value of
    }
    h_.OnSequenceEnd();
    --depth_;
    return true;
  }

  Cursor& c_;
  YAML::EventHandler& h_;
  int depth_ = 0;
};

}  // namespace

BlockYamlOutcome parse_block_yaml(std::string_view text, YAML::EventHandler& handler) {
  Cursor cursor(text);
  return BlockParser(cursor, handler).parse() ? BlockYamlOutcome::kDelivered : BlockYamlOutcome::kUnsupported;
}

BlockYamlOutcome parse_block_yaml(std::istream& in, YAML::EventHandler& handler) {
  Cursor cursor(in);
  return BlockParser(cursor, handler).parse() ? BlockYamlOutcome::kDelivered : BlockYamlOutcome::kUnsupported;
}

}  // namespace chartprov::yaml
