#pragma once
// One line of chartprov's Prometheus exposition text (app/events/metrics.hpp):
// the sample syntax we write, and nothing more. Refusals (nullopt): a line
// without `NAME{`, a label name outside [A-Za-z0-9_], an unclosed or badly
// escaped label value (only \\, \" and \n), no single space before the
// value, a value with a space (we never write timestamps), an empty value.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chartprov::app {

// Label values come from requests: a bounded number of series, whatever
// clients send. Past the limit, samples count under this label value.
inline constexpr std::size_t kMaxSeries = 512;
inline constexpr std::string_view kOverflowLabel = "_other";

// "\\", "\"" and newline escaped as the exposition format requires.
std::string escape_label_value(std::string_view value);

struct SampleLine {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order written
  std::string value;
};

std::optional<SampleLine> parse_sample_line(std::string_view line);

// The labels are exactly `names`, in that order.
bool has_labels(const SampleLine& s, std::initializer_list<std::string_view> names);

// A decimal counter: digits only.
std::optional<std::uint64_t> parse_count(std::string_view s);

// A finite, non-negative value, or "+Inf".
std::optional<double> parse_double(std::string_view s);

// The shortest text that reads back as `v` ("+Inf", "-Inf", "NaN" spelled out).
std::string format_double(double v);

}  // namespace chartprov::app
