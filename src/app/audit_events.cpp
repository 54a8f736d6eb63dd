#include "app/audit_events.hpp"

#include <unistd.h>

#include "audit/audit_log.hpp"
#include "util/version.hpp"

namespace chartprov::app {

Status record_decision(const std::filesystem::path& log, const DecisionEvent& e) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  const nlohmann::json event = {{"kind", "decision"},
                                {"chart", e.chart},
                                {"name", e.name},
                                {"version", e.version},
                                {"digest", e.digest},
                                {"environment", e.environment},
                                {"signers", e.signers},
                                {"decision", e.allowed ? "allow" : "deny"},
                                {"reasons", e.reasons},
                                {"host", host},
                                {"tool", std::string("chartprov ") + kVersion}};
  TRY(const std::string head, audit::append_event(log, event));
  (void)head;
  return ok_status();
}

}  // namespace chartprov::app
