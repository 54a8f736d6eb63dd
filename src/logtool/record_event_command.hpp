#pragma once
// `chartprov-log record-event [--db postgresql://...]`: one event (the JSON of
// app/events/event_json.hpp, at most kMaxEventInput bytes) on stdin, inserted
// into the decision store's table (logstore/event_table.hpp), which is created
// when missing. Without --db the URL comes from $CHARTPROV_EVENTS_DB: that is
// how chartprov's postgres event sink passes it, so that a password in the URL
// is not on a command line other users can read.
//
// Exit 0: recorded. 2: usage (no URL, not postgresql://, an unknown option),
// or stdin is too large or not a JSON object. 1: the database refused or
// could not be reached. A failure prints one line on stderr, "chartprov-log
// record-event: <why>", with the URL redacted.
#include <cstddef>

namespace chartprov::logtool {

inline constexpr std::size_t kMaxEventInput = 1u << 20;

// argv[0] is "record-event".
int record_event_command(int argc, char** argv);

}  // namespace chartprov::logtool
