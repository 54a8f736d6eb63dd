// libFuzzer target for the log's chart entries (leaves a monitor judges and a
// verifier compares with the chart): parsing never crashes, and an entry that
// parses is canonical: chart_entry_body() of it gives back the same bytes,
// with a chart name and version inside their limits. Differentially: the fast
// scan (chart_entry_scan.hpp) accepts only bytes that are exactly what
// chart_entry_body() writes for what it read, so it can never let through
// what the JSON parser would refuse.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/chart_entry_scan.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  if (auto scanned = tlog::scan_chart_entry(input)) {
    auto written = tlog::chart_entry_body(*scanned);
    if (written.ok()) {
      fuzz::check(as_bytes(*written).size() == size && std::equal(input.begin(), input.end(), written->begin()));
    }
  }
  auto entry = tlog::parse_chart_entry(input);
  if (!entry.ok()) return 0;
  fuzz::check(!entry->event.chart.empty() && entry->event.chart.size() <= tlog::kMaxChartName);
  fuzz::check(!entry->event.version.empty() && entry->event.version.size() <= tlog::kMaxChartVersion);
  fuzz::check(entry->digest.size() == 32);
  auto body = tlog::chart_entry_body(*entry);
  fuzz::check(body.ok() && as_bytes(*body).size() == size && std::equal(input.begin(), input.end(), body->begin()));
  return 0;
}
