// libFuzzer target for the log's write API (app/log/submission.hpp): the
// parser every client of `chartprov log serve` reaches. Invariants: what it
// accepts has a signature that verifies (entry_signature.hpp), writes a leaf
// that reads back as the same entry (tlog/chart_entry.hpp), and has the dedupe
// key of that entry.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "app/log/entry_signature.hpp"
#include "app/log/submission.hpp"
#include "tlog/chart_entry.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

namespace {
constexpr std::int64_t kNow = 1900000000;  // 2030: after every seed's .prov signature
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = as_chars(ByteView(data, size));
  auto s = app::log::parse_submission(body, kNow);
  if (!s.ok()) return 0;
  if (!app::log::check_entry_signature(s->entry, kNow).ok()) std::abort();
  auto dedupe = app::log::dedupe_key(s->entry);
  if (!dedupe.ok() || *dedupe != s->dedupe) std::abort();
  tlog::ChartEntry logged = s->entry;
  logged.event.time = kNow;
  auto leaf = tlog::chart_entry_body(logged);
  if (!leaf.ok()) std::abort();  // parse_submission measured the entry with the widest time
  auto back = tlog::parse_chart_entry(as_bytes(*leaf));
  if (!back.ok()) std::abort();
  auto again = tlog::chart_entry_body(*back);
  if (!again.ok() || *again != *leaf) std::abort();
  return 0;
}
