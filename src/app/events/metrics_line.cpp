#include "app/events/metrics_line.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace chartprov::app {

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::optional<SampleLine> parse_sample_line(std::string_view line) {
  SampleLine s;
  const auto brace = line.find('{');
  if (brace == std::string_view::npos || brace == 0) return std::nullopt;
  s.name = std::string(line.substr(0, brace));
  std::size_t i = brace + 1;
  while (true) {
    if (i >= line.size()) return std::nullopt;
    if (line[i] == '}') break;
    const auto eq = line.find("=\"", i);
    if (eq == std::string_view::npos || eq == i) return std::nullopt;
    std::string key(line.substr(i, eq - i));
    for (const char c : key) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return std::nullopt;
    }
    i = eq + 2;
    std::string value;
    bool closed = false;
    while (i < line.size()) {
      const char c = line[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\\') {
        if (i >= line.size()) return std::nullopt;
        const char e = line[i++];
        if (e == '\\')
          value += '\\';
        else if (e == '"')
          value += '"';
        else if (e == 'n')
          value += '\n';
        else
          return std::nullopt;
      } else {
        value += c;
      }
    }
    if (!closed) return std::nullopt;
    s.labels.emplace_back(std::move(key), std::move(value));
    if (i < line.size() && line[i] == ',')
      ++i;
    else if (i >= line.size() || line[i] != '}')
      return std::nullopt;
  }
  ++i;  // past '}'
  if (i >= line.size() || line[i] != ' ') return std::nullopt;
  s.value = std::string(line.substr(i + 1));
  if (s.value.empty() || s.value.find(' ') != std::string::npos) return std::nullopt;
  return s;
}

bool has_labels(const SampleLine& s, std::initializer_list<std::string_view> names) {
  if (s.labels.size() != names.size()) return false;
  std::size_t k = 0;
  for (const auto n : names) {
    if (s.labels[k++].first != n) return false;
  }
  return true;
}

std::string format_double(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::optional<double> parse_double(std::string_view s) {
  if (s == "+Inf") return HUGE_VAL;
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> parse_count(std::string_view s) {
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace chartprov::app
