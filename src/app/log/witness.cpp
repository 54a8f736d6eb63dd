#include "app/log/witness.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/vkey.hpp"
#include "tlog/witness_request.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app::log {
namespace {

constexpr std::uint64_t kMaxStateFile = 4u << 20;

WitnessAnswer answer(int status, std::string body) {
  WitnessAnswer a;
  a.status = status;
  a.body = std::move(body);
  if (a.body.empty() || a.body.back() != '\n') a.body += '\n';
  return a;
}

Result<std::map<std::string, Bytes>> read_roots(const nlohmann::json& logs) {
  std::map<std::string, Bytes> out;
  for (const auto& [origin, v] : logs.items()) {
    if (!v.is_object() || !v.contains("root") || !v["root"].is_string()) return input_error("a log without its root");
    auto root = base64_decode(v["root"].get<std::string>());
    if (!root.ok() || root->size() != 32) return input_error("a root that is not base64 of 32 bytes");
    out.emplace(origin, std::move(*root));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Witness>> Witness::open(WitnessConfig config) {
  if (config.logs.empty()) return input_error("witness: no log to witness");
  TRY(std::string vkey, tlog::format_vkey(config.name, tlog::kCosignatureKeyType, config.key));
  if (!crypto::has_private_key(config.key)) return input_error("witness: the witness key is not a private key");
  for (std::size_t i = 0; i < config.logs.size(); ++i) {
    for (std::size_t j = i + 1; j < config.logs.size(); ++j) {
      if (config.logs[i].origin == config.logs[j].origin) {
        return input_error("witness: two logs with the origin " + config.logs[i].origin);
      }
    }
  }
  std::unique_ptr<Witness> w(new Witness(std::move(config)));
  w->vkey_ = std::move(vkey);
  std::error_code ec;
  if (!std::filesystem::exists(w->config_.state, ec)) return w;
  const std::string where = "witness state " + w->config_.state.string() + ": ";
  TRY(const std::string text, read_text_file(w->config_.state, kMaxStateFile));
  const nlohmann::json doc = parse_untrusted_json(text);
  const bool shaped =
      doc.is_object() && doc.value("version", 0) == 1 && doc.contains("logs") && doc["logs"].is_object();
  if (!shaped) return input_error(where + "not a witness state (version 1)");
  auto roots = read_roots(doc["logs"]);
  if (!roots.ok()) return input_error(where + roots.error().message);
  for (auto& [origin, root] : *roots) {
    const auto& v = doc["logs"][origin];
    if (!v.contains("size") || !v["size"].is_number_unsigned()) return input_error(where + "a log without its size");
    w->seen_[origin] = Seen{v["size"].get<std::uint64_t>(), std::move(root)};
  }
  return w;
}

Status Witness::save() const {
  nlohmann::json logs = nlohmann::json::object();
  for (const auto& [origin, seen] : seen_) logs[origin] = {{"size", seen.size}, {"root", base64_encode(seen.root)}};
  const nlohmann::json doc = {{"version", 1}, {"logs", logs}};
  return atomic_write(config_.state, doc.dump(2) + "\n", 0644);
}

WitnessAnswer Witness::add_checkpoint(std::string_view request, std::uint64_t now) {
  auto req = tlog::parse_add_checkpoint(request);
  if (!req.ok()) return answer(400, req.error().message);
  auto cp = tlog::parse_checkpoint(req->checkpoint);
  if (!cp.ok()) return answer(400, cp.error().message);
  const WitnessedLog* log = nullptr;
  for (const auto& l : config_.logs) {
    if (l.origin == cp->origin) log = &l;
  }
  if (log == nullptr) return answer(404, "unknown log origin");
  if (!tlog::checkpoint_signed_by(*cp, log->key, log->origin))
    return answer(403, "the checkpoint is not signed by the log");
  if (req->old_size > cp->size) return answer(400, "the old size is above the checkpoint's");

  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = seen_.find(cp->origin);
  const Seen last = it == seen_.end() ? Seen{} : it->second;
  if (req->old_size != last.size) {
    WitnessAnswer a = answer(409, std::to_string(last.size));
    a.content_type = "text/x.tlog.size";
    return a;
  }
  if (last.size == cp->size) {
    if (last.size != 0 && last.root != cp->root_hash) return answer(409, "another root at the same size");
  } else if (last.size == 0) {
    if (!req->proof.empty()) return answer(422, "a proof from an empty tree must be empty");
  } else if (!tlog::verify_consistency(last.size, cp->size, last.root, cp->root_hash, req->proof)) {
    return answer(422, "the consistency proof does not verify");
  }
  auto line = tlog::sign_cosignature(cp->body, config_.name, config_.key, now);
  if (!line.ok()) return answer(500, "cannot cosign");
  const Seen before = last;
  seen_[cp->origin] = Seen{cp->size, cp->root_hash};
  if (!save().ok()) {
    seen_[cp->origin] = before;
    return answer(500, "cannot save the witness state");
  }
  return answer(200, *line);
}

}  // namespace chartprov::app::log
