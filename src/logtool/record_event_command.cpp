#include "logtool/record_event_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "infra/json/untrusted_json.hpp"
#include "logstore/event_table.hpp"
#include "logstore/pg_conn.hpp"

namespace chartprov::logtool {
namespace {

constexpr const char* kUsage =
    "usage: chartprov-log record-event [--db postgresql://...]   (event JSON on stdin; "
    "without --db, $CHARTPROV_EVENTS_DB)\n";

int fail(int code, const std::string& why) {
  std::fprintf(stderr, "chartprov-log record-event: %s\n", why.c_str());
  return code;
}

// All of stdin, or nothing when it holds more than kMaxEventInput bytes.
bool read_stdin(std::string& out) {
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    out.append(buf, n);
    if (out.size() > kMaxEventInput) return false;
  }
  return true;
}

}  // namespace

int record_event_command(int argc, char** argv) {
  std::string url;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--db" && i + 1 < argc) {
      url = argv[++i];
    } else if (arg.starts_with("--db=")) {
      url = std::string(arg.substr(5));
    } else {
      std::fputs(kUsage, stderr);
      return fail(2, "unknown argument '" + std::string(arg.substr(0, 64)) + "'");
    }
  }
  if (url.empty()) {
    if (const char* env = std::getenv("CHARTPROV_EVENTS_DB"); env != nullptr) url = env;
  }
  if (url.empty()) return fail(2, "no --db URL (nor $CHARTPROV_EVENTS_DB)");
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://"))
    return fail(2, "the decision store is a postgresql:// URL");
  std::string input;
  if (!read_stdin(input)) return fail(2, "the event is over " + std::to_string(kMaxEventInput) + " bytes");
  const nlohmann::json event = parse_untrusted_json(input);
  if (event.is_discarded() || !event.is_object()) return fail(2, "stdin is not an event (a JSON object)");
  auto conn = logstore::PgConn::connect(url);
  if (!conn) return fail(1, conn.error().message);
  if (auto st = logstore::create_event_table(*conn); !st) return fail(1, st.error().message);
  if (auto st = logstore::insert_event(*conn, event); !st) return fail(1, st.error().message);
  return 0;
}

}  // namespace chartprov::logtool
