#pragma once
// The client of `chartprov-log record-event` (src/logtool/record_event_command.hpp):
// one event into a PostgreSQL decision store. The static chartprov has no libpq,
// so the dynamic helper does the insert. The URL reaches the helper in its
// environment ($CHARTPROV_EVENTS_DB), never on its command line (which other
// users may read); the copy made for it is wiped afterwards.
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov::app {

// Runs the helper (app/helpers/helper_path: $CHARTPROV_LOG or next to
// chartprov) with the event's JSON on stdin, for at most timeout_ms.
// Refused: the helper is not found or cannot be started, times out, or exits
// non-zero; the message is the helper's own line ("postgresql: cannot connect
// to postgresql://***@db:5432/x: ...", the URL redacted), or "chartprov-log
// exited <n>" when it said nothing.
Status record_event_in_postgres(const std::string& url, std::string_view event_json, int timeout_ms);

}  // namespace chartprov::app
