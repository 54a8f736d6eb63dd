#pragma once
// Lines of a text, one at a time, counted from 1 for messages. Two ways to
// cut them, because the OpenPGP formats differ:
//   kLineEnd             the LF, or CR LF, removed and nothing else (the
//                        cleartext framework: each caller decides about other whitespace);
//   kTrailingWhitespace  also every trailing space, tab and CR (armor, as gocrypto reads it).
#include <cstddef>
#include <string_view>

namespace chartprov {

class LineReader {
 public:
  enum class Trim { kLineEnd, kTrailingWhitespace };

  LineReader(std::string_view text, Trim trim) : rest_(text), trim_(trim) {}
  bool done() const { return rest_.empty(); }
  std::string_view rest() const { return rest_; }
  std::size_t number() const { return number_; }

  std::string_view next() {
    ++number_;
    const std::size_t lf = rest_.find('\n');
    std::string_view line = rest_.substr(0, lf);
    rest_ = lf == std::string_view::npos ? std::string_view() : rest_.substr(lf + 1);
    if (trim_ == Trim::kLineEnd) {
      if (lf != std::string_view::npos && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    } else {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    }
    return line;
  }

 private:
  std::string_view rest_;
  Trim trim_;
  std::size_t number_ = 0;
};

}  // namespace chartprov
