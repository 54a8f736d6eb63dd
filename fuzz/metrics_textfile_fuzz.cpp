// libFuzzer target for the metrics textfile reader (app/events/metrics.hpp and
// monitor_metrics.hpp): the strict parser that decides whether chartprov may
// rewrite a file. Invariants: whatever parses renders to text that parses to
// the same data and renders the same again (with and without the marker), and
// never overflows a histogram's shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "app/events/metrics.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  for (const bool marker : {false, true}) {
    auto parsed = app::parse_metrics(text, marker);
    if (!parsed.ok()) continue;
    const std::string rendered = app::render_metrics(*parsed);
    auto again = app::parse_metrics(rendered, false);
    if (!again.ok()) std::abort();
    if (app::render_metrics(*again) != rendered) std::abort();
    if (again->verifications != parsed->verifications || again->expiry_warnings != parsed->expiry_warnings ||
        again->monitor.rounds != parsed->monitor.rounds || again->monitor.tree_size != parsed->monitor.tree_size) {
      std::abort();
    }
  }
  return 0;
}
