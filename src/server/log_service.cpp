#include "server/log_service.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "app/log/log_metrics.hpp"
#include "app/log/submission.hpp"
#include "server/responses.hpp"
#include "tlog/entry_bundle.hpp"
#include "tlog/log_id.hpp"
#include "tlog/tile_path.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"

namespace chartprov::server {
namespace {

constexpr std::string_view kEntriesPath = "/api/v2/log/entries";

HttpResponse bytes_response(std::string body, bool immutable) {
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

nlohmann::json transparency_log_entry(const app::log::Acknowledgement& ack, const tlog::ChartEntry& entry,
                                      ByteView log_id) {
  nlohmann::json hashes = nlohmann::json::array();
  for (const Bytes& h : ack.proof) hashes.push_back(base64_encode(h));
  const bool rekord = entry.kind == tlog::EntryKind::hashedrekord;
  return {
      {"logIndex", std::to_string(ack.index)},
      {"logId", {{"keyId", base64_encode(log_id)}}},
      {"kindVersion", {{"kind", rekord ? "hashedrekord" : "helmprov"}, {"version", rekord ? "0.0.2" : "0.0.1"}}},
      {"inclusionProof",
       {{"logIndex", std::to_string(ack.index)},
        {"rootHash", base64_encode(ack.root)},
        {"treeSize", std::to_string(ack.tree_size)},
        {"hashes", std::move(hashes)},
        {"checkpoint", {{"envelope", ack.checkpoint}}}}},
      {"canonicalizedBody", base64_encode(ack.leaf)},
  };
}

}  // namespace

LogService::LogService(Key /*unused*/, app::log::LogStore& store, app::log::Sequencer& sequencer, Bytes log_id)
    : store_(store), sequencer_(sequencer), log_id_(std::move(log_id)) {}

Result<std::unique_ptr<LogService>> LogService::make(app::log::LogStore& store, app::log::Sequencer& sequencer) {
  TRY(Bytes id, tlog::tile_log_id(sequencer.note_key().key, sequencer.note_key().name));
  return std::make_unique<LogService>(Key(), store, sequencer, std::move(id));
}

HttpResponse LogService::handle(const HttpRequest& request) const {
  const std::string_view path = request.path();
  if (path == kEntriesPath) {
    if (request.method != "POST") return method_not_allowed("POST");
    return counted(submit(request));
  }
  const bool known = path == "/checkpoint" || path == "/healthz" || path == "/readyz" || path == "/metrics" ||
                     path.starts_with("/tile/");
  if (!known) return error_json(404, "not found");
  if (request.method != "GET") return method_not_allowed("GET");
  if (path == "/healthz") return text_response(200, "ok\n");
  if (path == "/checkpoint") return checkpoint();
  if (path == "/metrics") return metrics();
  if (path == "/readyz") return ready();
  return tile(path.substr(1));
}

HttpResponse LogService::ready() const {
  if (auto head = store_.head(); !head)
    return error_json(503, "log: the store cannot be read: " + head.error().message);
  return text_response(200, "ready\n");
}

HttpResponse LogService::counted(HttpResponse response) const {
  switch (response.status) {
    case 201: ++logged_; break;
    case 200: ++duplicate_; break;
    case 400:
    case 413: ++refused_; break;
    default: ++failed_;
  }
  return response;
}

HttpResponse LogService::metrics() const {
  app::log::LogMetrics m;
  m.logged = logged_.load();
  m.duplicate = duplicate_.load();
  m.refused = refused_.load();
  m.failed = failed_.load();
  sequencer_.count_into(m);
  m.tree_size = sequencer_.published().size;
  HttpResponse r = text_response(200, app::log::render_log_metrics(m));
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

HttpResponse LogService::checkpoint() const {
  const app::log::Published pub = sequencer_.published();
  HttpResponse r = text_response(200, pub.checkpoint);
  r.headers.clear();
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

HttpResponse LogService::tile(std::string_view path) const {
  const auto id = tlog::parse_tile_path(path);
  if (!id) return error_json(400, id.error().message);
  const std::uint64_t first = id->index * tlog::kTileWidth;
  const bool full = id->width == tlog::kTileWidth;
  if (id->entries) {
    std::uint64_t size = sequencer_.published().size;
    if (first / tlog::kTileWidth != id->index || first + id->width > size) return error_json(404, "not in the tree");
    auto leaves = store_.leaves(first, first + id->width);
    if (!leaves) return error_json(503, leaves.error().message);
    if (leaves->size() != id->width) return error_json(503, "log: the store returned a short range of entries");
    auto bundle = tlog::encode_entry_bundle(*leaves);
    if (!bundle) return error_json(503, bundle.error().message);
    return bytes_response(std::string(as_chars(*bundle)), full);
  }
  auto hashes = sequencer_.hash_tile(*id);
  if (!hashes) {
    sequencer_.published();  // a tile of a tree another front-end grew: catch up, then ask again
    hashes = sequencer_.hash_tile(*id);
  }
  if (!hashes) return error_json(404, "not in the tree");
  return bytes_response(std::string(as_chars(*hashes)), full);
}

HttpResponse LogService::submit(const HttpRequest& request) const {
  if (request.body.size() > app::log::kMaxSubmission) return error_json(413, "submission: larger than 64 KiB");
  auto submission = app::log::parse_submission(request.body, unix_now());
  if (!submission) return error_json(400, submission.error().message);
  const tlog::ChartEntry entry = submission->entry;
  auto ack = sequencer_.submit(std::move(*submission));
  if (!ack) return error_json(503, ack.error().message);
  return json_response(ack->existed ? 200 : 201, transparency_log_entry(*ack, entry, log_id_));
}

}  // namespace chartprov::server
