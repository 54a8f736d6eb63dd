#include "app/verify/prov_log_entry.hpp"

#include <system_error>

#include "app/verify/bundle_parts.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "tlog/chart_entry.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

std::string entry_refusal(const sigstore::TlogEntry& e, ByteView prov, const ProvArchiveFacts& facts,
                          const sigstore::TrustedRoot& root, policy::LogInclusion& inclusion) {
  const sigstore::TransparencyLog* log = root.find_log(e.log_id);
  if (log == nullptr) return "the log entry's log " + base64_encode(e.log_id) + " is not in the trusted root";
  if (e.kind != "helmprov" || e.version != "0.0.1") {
    return "a .prov's log entry is of kind helmprov 0.0.1, not " + e.kind + " " + e.version;
  }
  auto body = tlog::parse_chart_entry(e.body);
  if (!body) return body.error().message;
  if (body->kind != tlog::EntryKind::helm_prov) return "a .prov's log entry is of kind helmprov";
  if (body->provenance != Bytes(prov.begin(), prov.end())) return "the log entry records another provenance file";
  if ("sha256:" + hex_encode(body->digest) != facts.digest) return "the log entry records another chart digest";
  if (body->event.chart != facts.name || body->event.version != facts.version) {
    return "the log entry is for chart " + body->event.chart + " " + body->event.version + ", not " + facts.name + " " +
           facts.version;
  }
  return check_inclusion(e, *log, true, inclusion);
}

}  // namespace

ProvLogCheck check_prov_log_entry(const std::filesystem::path& prov_file, ByteView prov, const ProvArchiveFacts& facts,
                                  const sigstore::TrustedRoot& root) {
  ProvLogCheck out;
  const std::filesystem::path side = prov_file.string() + ".tlog.json";
  std::error_code ec;
  if (!std::filesystem::exists(side, ec)) return out;
  out.present = true;
  auto text = read_text_file(side, sigstore::kMaxTlogEntry);
  if (!text) {
    out.reason = "transparency log: " + text.error().message;
    return out;
  }
  auto entry = sigstore::parse_tlog_entry(*text);
  if (!entry) {
    out.reason = "transparency log: " + side.string() + ": " + entry.error().message;
    return out;
  }
  policy::LogInclusion inclusion;
  if (auto why = entry_refusal(*entry, prov, facts, root, inclusion); !why.empty()) {
    out.reason = "transparency log: " + why;
    return out;
  }
  out.inclusion = std::move(inclusion);
  return out;
}

void judge_prov_log_entry(policy::EnvelopeEvidence& e, const std::filesystem::path& prov_file, ByteView prov,
                          const ProvArchiveFacts& facts, const sigstore::TrustedRoot* root) {
  if (root == nullptr || !e.good()) return;
  const ProvLogCheck c = check_prov_log_entry(prov_file, prov, facts, *root);
  if (!c.reason.empty()) {
    e.verdict = policy::Verdict::bad;
    e.reason = c.reason;
    return;
  }
  if (c.inclusion) {
    e.in_transparency_log = true;
    e.log_entries.push_back(*c.inclusion);
  }
}

}  // namespace chartprov::app
