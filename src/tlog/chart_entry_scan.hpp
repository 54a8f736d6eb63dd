#pragma once
// A fast path for reading chart entries (chart_entry.hpp): a canonical entry
// has one fixed layout, members in order, no white space, no escapes, so it
// can be read by matching that layout literally instead of building a JSON
// tree and writing it back (about five times faster: a monitor reads every
// entry of a log). Anything that does not match exactly is left to the full
// parser, which decides; so the scan may only ever accept what the full
// parser accepts, with the same result (fuzz/chart_entry_fuzz.cpp checks it).
#include <optional>

#include "tlog/chart_entry_types.hpp"
#include "util/bytes.hpp"

namespace chartprov::tlog {

// The entry, when `leaf` is laid out exactly as chart_entry_body() writes one
// and every value is written as it would write it (base64 canonical, the time
// without leading zeros); nullopt for anything else. The values are not
// checked here beyond their layout: the caller applies chart_entry_body()'s
// rules.
std::optional<ChartEntry> scan_chart_entry(ByteView leaf);

}  // namespace chartprov::tlog
