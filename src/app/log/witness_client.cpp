#include "app/log/witness_client.hpp"

#include "app/helpers/http_client.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/note_signer.hpp"
#include "tlog/witness_request.hpp"

namespace chartprov::app::log {
namespace {

// The body of an add-checkpoint request from old_size, or an error.
Result<std::string> request_body(std::string_view note, const tlog::Checkpoint& cp, const tlog::NodeSource& nodes,
                                 std::uint64_t old_size) {
  tlog::AddCheckpoint req;
  req.old_size = old_size;
  TRY(req.proof, tlog::consistency_proof(nodes, old_size, cp.size));
  req.checkpoint = std::string(note);
  return tlog::format_add_checkpoint(req);
}

// The witness's size from a 409 answer ("<decimal>\n"), or nullopt.
std::optional<std::uint64_t> conflict_size(const HttpAnswer& a) {
  if (a.status != 409 || a.media_type != "text/x.tlog.size") return std::nullopt;
  std::string_view body = a.body;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  if (body.empty() || body.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : body) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// The verified cosignature lines of one answer (what the witness key signed over this checkpoint).
Result<std::string> verified_lines(std::string_view note, const HttpAnswer& a, const WitnessEndpoint& w) {
  if (a.body.size() > 4096) return verify_error("an answer over 4 KiB");
  auto cosigned = tlog::parse_checkpoint(std::string(note) + a.body);
  if (!cosigned.ok()) return verify_error("an answer that is not signature lines");
  if (!tlog::cosigned_at(*cosigned, w.vkey->name, w.vkey->key)) return verify_error("no cosignature that verifies");
  std::string kept;
  for (const auto& s : cosigned->signatures) {
    if (s.name != w.vkey->name || s.key_hint != w.vkey->key_id) continue;
    tlog::Checkpoint one = *cosigned;
    one.signatures = {s};
    if (!tlog::cosigned_at(one, w.vkey->name, w.vkey->key)) continue;
    kept += tlog::signature_line(s.name, s.key_hint, s.signature);
  }
  return kept;
}

}  // namespace

Cosignatures request_cosignatures(const std::vector<WitnessEndpoint>& witnesses, std::string_view note,
                                  const tlog::NodeSource& nodes, std::map<std::string, std::uint64_t>& known,
                                  int timeout_ms) {
  Cosignatures out;
  // A witness that did not cosign: named for the counts, and why, for the log's stderr.
  const auto failed = [&out](const std::string& name, const std::string& why) {
    out.failures.push_back(name + ": " + why);
    out.failed.push_back(name);
  };
  auto cp = tlog::parse_checkpoint(note);
  if (!cp.ok()) {
    out.failures.push_back("the checkpoint does not parse: " + cp.error().message);
    for (const auto& w : witnesses) out.failed.push_back(w.vkey->name);
    return out;
  }
  // Two rounds at most: the second for witnesses that named another size.
  std::vector<const WitnessEndpoint*> pending;
  for (const auto& w : witnesses) pending.push_back(&w);
  for (int round = 0; round < 2 && !pending.empty(); ++round) {
    std::vector<HttpPost> posts;
    std::vector<const WitnessEndpoint*> asked;
    for (const WitnessEndpoint* w : pending) {
      auto body = request_body(note, *cp, nodes, std::min(known[w->url], cp->size));
      if (!body.ok()) {
        failed(w->vkey->name, body.error().message);
        continue;
      }
      posts.push_back(HttpPost{w->url + "/add-checkpoint", "text/plain", std::move(*body), timeout_ms});
      asked.push_back(w);
    }
    pending.clear();
    auto answers = http_post_all(posts);
    if (!answers.ok()) {
      for (const WitnessEndpoint* w : asked) failed(w->vkey->name, answers.error().message);
      break;
    }
    for (std::size_t i = 0; i < asked.size() && i < answers->size(); ++i) {
      const WitnessEndpoint& w = *asked[i];
      const HttpAnswer& a = (*answers)[i];
      if (const auto size = conflict_size(a); size && round == 0 && *size <= cp->size) {
        known[w.url] = *size;
        pending.push_back(&w);
        continue;
      }
      if (!a.ok()) {
        failed(w.vkey->name, a.describe());
        continue;
      }
      auto lines = verified_lines(note, a, w);
      if (!lines.ok()) {
        failed(w.vkey->name, lines.error().message);
        continue;
      }
      known[w.url] = cp->size;
      out.lines += *lines;
    }
  }
  return out;
}

Result<WitnessEndpoint> parse_witness_endpoint(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) return usage_error("--witness takes URL=VKEY");
  WitnessEndpoint w;
  w.url = std::string(text.substr(0, eq));
  while (!w.url.empty() && w.url.back() == '/') w.url.pop_back();
  if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0) {
    return usage_error("--witness: the URL is not http:// or https://");
  }
  auto vkey = tlog::parse_vkey(text.substr(eq + 1));
  if (!vkey.ok()) return usage_error("--witness: " + vkey.error().message);
  if (vkey->type != tlog::kCosignatureKeyType) return usage_error("--witness: a log's vkey, not a witness's");
  w.vkey = std::make_shared<const tlog::VerifierKey>(std::move(*vkey));
  return w;
}

}  // namespace chartprov::app::log
