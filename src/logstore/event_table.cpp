#include "logstore/event_table.hpp"

#include <string>

namespace chartprov::logstore {
namespace {

constexpr const char* kEventTable = R"sql(
BEGIN;
SELECT pg_advisory_xact_lock(7310512518);
CREATE TABLE IF NOT EXISTS chartprov_events(
  id bigserial PRIMARY KEY,
  time timestamptz,
  kind text NOT NULL,
  environment text NOT NULL,
  chart text NOT NULL,
  name text NOT NULL,
  version text NOT NULL,
  digest text NOT NULL,
  signers text[] NOT NULL,
  decision text NOT NULL,
  mode text NOT NULL,
  reasons text[] NOT NULL,
  reason_code text NOT NULL,
  actor jsonb,
  host text NOT NULL,
  event jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS chartprov_events_time ON chartprov_events(time);
CREATE INDEX IF NOT EXISTS chartprov_events_chart ON chartprov_events(name, version);
COMMIT;
)sql";

constexpr const char* kInsert = R"sql(
INSERT INTO chartprov_events(time, kind, environment, chart, name, version, digest, signers, decision, mode,
                             reasons, reason_code, actor, host, event)
VALUES (NULLIF($1, '')::timestamptz, $2, $3, $4, $5, $6, $7, ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), $9, $10,
        ARRAY(SELECT jsonb_array_elements_text($11::jsonb)), $12, NULLIF($13, 'null')::jsonb, $14, $15::jsonb)
)sql";

std::string text_field(const nlohmann::json& event, const char* name) {
  const auto it = event.find(name);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A JSON array of the field's strings (others dropped), as text for jsonb.
std::string strings_field(const nlohmann::json& event, const char* name) {
  nlohmann::json out = nlohmann::json::array();
  const auto it = event.find(name);
  if (it != event.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v);
    }
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Status create_event_table(PgConn& conn) {
  TRY_STATUS(conn.exec_script(kEventTable));
  return ok_status();
}

Status insert_event(PgConn& conn, const nlohmann::json& event) {
  if (!event.is_object()) return input_error("event: not a JSON object");
  const auto actor = event.find("actor");
  const std::string actor_text = actor != event.end() && actor->is_object()
                                     ? actor->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                                     : std::string("null");
  const std::vector<PgParam> params = {
      pg_text(text_field(event, "time")),
      pg_text(text_field(event, "kind")),
      pg_text(text_field(event, "environment")),
      pg_text(text_field(event, "chart")),
      pg_text(text_field(event, "name")),
      pg_text(text_field(event, "version")),
      pg_text(text_field(event, "digest")),
      pg_text(strings_field(event, "signers")),
      pg_text(text_field(event, "decision")),
      pg_text(text_field(event, "mode")),
      pg_text(strings_field(event, "reasons")),
      pg_text(text_field(event, "reason_code")),
      pg_text(actor_text),
      pg_text(text_field(event, "host")),
      pg_text(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)),
  };
  TRY_STATUS(conn.exec(kInsert, params));
  return ok_status();
}

}  // namespace chartprov::logstore
