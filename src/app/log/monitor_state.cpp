#include "app/log/monitor_state.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <system_error>

#include "infra/json/untrusted_json.hpp"
#include "tlog/checkpoint.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app::log {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

Error bad(const std::string& why) { return input_error("monitor state: " + why); }

Result<Bytes> hash_of(const json& value, const char* what) {
  if (!value.is_string()) return bad(std::string(what) + " is not a string");
  auto decoded = base64_decode(value.get<std::string>());
  if (!decoded) return bad(std::string(what) + " is not base64");
  return std::move(*decoded);
}

}  // namespace

std::string serialize_monitor_state(const MonitorState& state) {
  ordered_json j;
  j["version"] = kMonitorStateVersion;
  j["origin"] = state.origin;
  j["size"] = state.range.size();
  j["root"] = base64_encode(state.range.root());
  json hashes = json::array();
  for (const auto& h : state.range.hashes()) hashes.push_back(base64_encode(h));
  j["compact_range"] = hashes;
  j["checkpoint"] = state.checkpoint;
  return j.dump(2) + "\n";
}

Result<MonitorState> parse_monitor_state(std::string_view text) {
  if (text.size() > kMaxMonitorState) return bad("larger than 1 MiB");
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  for (const auto& [key, value] : doc.items()) {
    static constexpr std::string_view kKnown[] = {"version", "origin", "size", "root", "compact_range", "checkpoint"};
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) return bad("unknown member " + key);
  }
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<std::int64_t>() != kMonitorStateVersion) {
    return bad("version is not " + std::to_string(kMonitorStateVersion));
  }
  const auto origin = doc.find("origin");
  const auto size = doc.find("size");
  const auto root = doc.find("root");
  const auto range = doc.find("compact_range");
  const auto note = doc.find("checkpoint");
  if (origin == doc.end() || !origin->is_string() || origin->get<std::string>().empty()) return bad("no origin");
  if (size == doc.end() || !size->is_number_unsigned()) return bad("no size");
  if (root == doc.end()) return bad("no root");
  if (range == doc.end() || !range->is_array()) return bad("no compact_range");
  if (note == doc.end() || !note->is_string()) return bad("no checkpoint");

  MonitorState state;
  state.origin = origin->get<std::string>();
  state.checkpoint = note->get<std::string>();
  std::vector<Bytes> hashes;
  if (range->size() > 64) return bad("a compact range of more than 64 hashes");
  for (const auto& h : *range) {
    TRY(Bytes hash, hash_of(h, "a compact range hash"));
    hashes.push_back(std::move(hash));
  }
  auto compact = tlog::CompactRange::from(size->get<std::uint64_t>(), std::move(hashes));
  if (!compact) return bad(compact.error().message);
  state.range = std::move(*compact);
  TRY(const Bytes root_hash, hash_of(*root, "root"));
  if (root_hash != state.range.root()) return bad("the root is not the compact range's");

  auto cp = tlog::parse_checkpoint(state.checkpoint);
  if (!cp) return bad("checkpoint: " + cp.error().message);
  if (cp->origin != state.origin || cp->size != state.range.size() || cp->root_hash != root_hash) {
    return bad("the checkpoint does not match the state");
  }
  return state;
}

Result<std::optional<MonitorState>> load_monitor_state(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::symlink_status(file, ec).type() == std::filesystem::file_type::not_found) {
    return std::optional<MonitorState>();
  }
  auto text = read_text_file(file, kMaxMonitorState);
  if (!text) return text.error();
  auto state = parse_monitor_state(*text);
  if (!state) return state.error().with_context(file.string());
  return std::optional<MonitorState>(std::move(*state));
}

Status save_monitor_state(const std::filesystem::path& file, const MonitorState& state) {
  auto st = atomic_write(file, serialize_monitor_state(state), 0600);
  if (!st) return st.error().with_context("monitor state " + file.string());
  return ok_status();
}

}  // namespace chartprov::app::log
