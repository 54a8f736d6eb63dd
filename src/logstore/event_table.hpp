#pragma once
// The decision store (issue 17): chartprov's events (app/events/event_json.hpp)
// as rows of one PostgreSQL table, the one place to ask "who deployed what,
// verified by which key" across hosts. Written by `chartprov-log record-event`
// (the static chartprov has no libpq); docs/EVENTS.md has the queries.
//
//   chartprov_events(id bigserial PRIMARY KEY, time timestamptz, kind, environment, chart,
//                    name, version, digest, signers text[], decision, mode, reasons text[],
//                    reason_code, actor jsonb, host, event jsonb)
//   (all text unless said; indexes on time and on (name, version); event is the whole event)
#include <nlohmann/json.hpp>

#include "logstore/pg_conn.hpp"
#include "util/result.hpp"

namespace chartprov::logstore {

// Creates chartprov_events and its indexes when missing, under an advisory
// lock (hosts that record their first event together do not race). Refused:
// what the server refuses ("postgresql: ...").
Status create_event_table(PgConn& conn);

// Inserts one event. Its fields are read as event_json writes them; a field
// that is missing or of another type is stored empty (NULL for time and
// actor), and the whole event goes into `event` as it came. Refused: an
// event that is not a JSON object ("event: not a JSON object"), a time that
// PostgreSQL cannot read, and what the server refuses (a \u0000 in a string).
Status insert_event(PgConn& conn, const nlohmann::json& event);

}  // namespace chartprov::logstore
