#include "app/verify/tlog_state.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/helpers/http_client.hpp"
#include "infra/json/untrusted_json.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/proofs.hpp"
#include "tlog/tile_nodes.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"
#include "util/fd.hpp"
#include "util/file.hpp"
#include "util/url.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;

Result<std::uint64_t> decimal(const json& v) {
  if (!v.is_string()) return input_error("tlog state: a size is a decimal string");
  const std::string s = v.get<std::string>();
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos ||
      (s.size() > 1 && s[0] == '0')) {
    return input_error("tlog state: a size is a decimal string");
  }
  return static_cast<std::uint64_t>(std::stoull(s));
}

std::string short_root(ByteView root) { return base64_encode(root).substr(0, 12) + "..."; }

std::string split_view(const std::string& origin, std::uint64_t n, ByteView root, const SavedCheckpoint& saved) {
  return "split view: log " + origin + " showed a checkpoint of " + std::to_string(n) + " leaves (root " +
         short_root(root) + ") that is not consistent with the one of " + std::to_string(saved.size) +
         " leaves (root " + short_root(saved.root) + ") this verifier saw before";
}

// Whether the tree of `small` leaves and root `small_root` is a prefix of the
// one of `large` leaves and `large_root`, by a proof read from the log's tiles.
Result<bool> consistent(const TileGetter& get, const std::string& base_url, std::uint64_t small, ByteView small_root,
                        std::uint64_t large, ByteView large_root) {
  const tlog::NodeSource nodes = tlog::tile_nodes([&](const tlog::TileId& t) { return get(base_url, t); }, large);
  TRY(const std::vector<Bytes> proof, tlog::consistency_proof(nodes, small, large));
  return tlog::verify_consistency(small, large, small_root, large_root, proof);
}

}  // namespace

Result<TlogState> parse_tlog_state(std::string_view text) {
  if (text.size() > kMaxTlogState) return input_error("tlog state: larger than " + byte_size_text(kMaxTlogState));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded() || !doc.is_object()) return input_error("tlog state: not a JSON object");
  if (!doc.contains("version") || doc["version"] != 1) return input_error("tlog state: version is not 1");
  if (!doc.contains("logs") || !doc["logs"].is_object()) return input_error("tlog state: logs is not an object");
  if (doc["logs"].size() > kMaxTlogStateLogs) return input_error("tlog state: too many logs");
  TlogState out;
  for (const auto& [origin, v] : doc["logs"].items()) {
    if (!v.is_object() || !v.contains("size") || !v.contains("root") || !v.contains("checkpoint") ||
        !v["root"].is_string() || !v["checkpoint"].is_string()) {
      return input_error("tlog state: log " + origin + " needs size, root and checkpoint");
    }
    SavedCheckpoint s;
    TRY(s.size, decimal(v["size"]));
    auto root = base64_decode(v["root"].get<std::string>());
    if (!root || root->size() != 32) return input_error("tlog state: log " + origin + ": the root is not 32 bytes");
    s.root = std::move(*root);
    s.checkpoint = v["checkpoint"].get<std::string>();
    out.emplace(origin, std::move(s));
  }
  return out;
}

std::string write_tlog_state(const TlogState& state) {
  json logs = json::object();
  for (const auto& [origin, s] : state) {
    logs[origin] = {{"size", std::to_string(s.size)}, {"root", base64_encode(s.root)}, {"checkpoint", s.checkpoint}};
  }
  return json{{"version", 1}, {"logs", std::move(logs)}}.dump(2) + "\n";
}

TileGetter http_tile_getter() {
  return [](const std::string& base_url, const tlog::TileId& tile) -> Result<Bytes> {
    std::string base = base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::size_t want = static_cast<std::size_t>(tile.width) * 32;
    HttpGet g;
    g.url = base + "/" + tlog::tile_path(tile);
    g.max = tlog::kTileWidth * 32;
    g.timeout_ms = 10000;
    TRY(HttpAnswer a, http_get(g));
    if (a.status == 404 && tile.width < tlog::kTileWidth) {
      tlog::TileId full = tile;
      full.width = tlog::kTileWidth;
      g.url = base + "/" + tlog::tile_path(full);
      TRY(a, http_get(g));
      if (a.ok() && a.body.size() >= want) a.body.resize(want);
    }
    if (!a.error.empty()) return input_error(a.error);  // names the URL already
    if (!a.ok()) return input_error(redact_url(g.url) + ": " + a.describe());
    return Bytes(a.body.begin(), a.body.end());
  };
}

StateCheck check_checkpoints(TlogState& state, const std::vector<policy::LogInclusion>& entries,
                             const TileGetter& get) {
  StateCheck out;
  for (const auto& e : entries) {
    if (e.checkpoint.empty()) continue;
    auto cp = tlog::parse_checkpoint(e.checkpoint);
    if (!cp) {
      out.problems.push_back("tlog state: log " + e.origin + ": " + cp.error().message);
      continue;
    }
    const std::string& origin = cp->origin;
    const auto it = state.find(origin);
    if (it == state.end()) {
      state[origin] = {cp->size, cp->root_hash, e.checkpoint};
      continue;
    }
    const SavedCheckpoint saved = it->second;
    if (cp->size == saved.size) {
      if (cp->root_hash != saved.root) {
        out.problems.push_back(split_view(origin, cp->size, cp->root_hash, saved));
        out.split_view = true;
      }
      continue;
    }
    const bool grew = cp->size > saved.size;
    auto ok = grew ? consistent(get, e.base_url, saved.size, saved.root, cp->size, cp->root_hash)
                   : consistent(get, e.base_url, cp->size, cp->root_hash, saved.size, saved.root);
    if (!ok) {
      out.problems.push_back("tlog state: cannot prove the checkpoint of log " + origin +
                             " consistent: " + ok.error().message);
      continue;
    }
    if (!*ok) {
      out.problems.push_back(split_view(origin, cp->size, cp->root_hash, saved));
      out.split_view = true;
      continue;
    }
    if (grew) it->second = {cp->size, cp->root_hash, e.checkpoint};
  }
  return out;
}

std::filesystem::path tlog_state_path() {
  const char* v = std::getenv("CHARTPROV_TLOG_STATE");  // NOLINT(concurrency-mt-unsafe): read once per verify
  return v == nullptr ? std::filesystem::path() : std::filesystem::path(v);
}

Result<StateCheck> apply_tlog_state(policy::Evidence& evidence, const TileGetter& get) {
  const std::filesystem::path path = tlog_state_path();
  if (path.empty()) return StateCheck{};
  // Read, checked and rewritten under an exclusive lock on a `.lock` file beside it, so that
  // concurrent decisions (serve's workers, parallel gates) cannot move it back to an older view.
  const std::string lock_path = path.string() + ".lock";
  const UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (lock.get() < 0) return input_error("cannot open the transparency log state lock " + lock_path);
  if (::flock(lock.get(), LOCK_EX) != 0) return input_error("cannot lock the transparency log state " + path.string());
  TlogState state;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    TRY(const std::string text, read_text_file(path, kMaxTlogState));
    auto parsed = parse_tlog_state(text);
    if (!parsed) return parsed.error().with_context(path.string());
    state = std::move(*parsed);
  }
  std::vector<policy::LogInclusion> entries;
  for (const auto& e : evidence.envelopes) {
    if (!e.good()) continue;
    entries.insert(entries.end(), e.log_entries.begin(), e.log_entries.end());
  }
  if (entries.empty()) return StateCheck{};
  StateCheck check = check_checkpoints(state, entries, get);
  evidence.problems.insert(evidence.problems.end(), check.problems.begin(), check.problems.end());
  if (!check.split_view) TRY_STATUS(atomic_write(path, write_tlog_state(state), 0644));
  return check;
}

}  // namespace chartprov::app
