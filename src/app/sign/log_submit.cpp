#include "app/sign/log_submit.hpp"

#include <nlohmann/json.hpp>

#include "app/helpers/http_client.hpp"
#include "infra/json/untrusted_json.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/log_id.hpp"
#include "tlog/merkle.hpp"
#include "util/encoding.hpp"
#include "util/url.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;

const char* kind_name(tlog::EntryKind kind) {
  return kind == tlog::EntryKind::hashedrekord ? "hashedrekord" : "helmprov";
}
const char* kind_version(tlog::EntryKind kind) { return kind == tlog::EntryKind::hashedrekord ? "0.0.2" : "0.0.1"; }

// The first field in which the logged entry differs from the submitted one, or "".
std::string first_difference(const tlog::ChartEntry& a, const tlog::ChartEntry& b) {
  if (a.kind != b.kind) return "kind";
  if (a.event.chart != b.event.chart) return "chart name";
  if (a.event.version != b.event.version) return "chart version";
  if (a.event.envelope != b.event.envelope) return "envelope";
  if (a.digest != b.digest) return "digest";
  if (a.signature != b.signature) return "signature";
  if (a.public_key != b.public_key) return "public key";
  if (a.certificate != b.certificate) return "certificate";
  if (a.key_details != b.key_details) return "key details";
  if (a.provenance != b.provenance) return "provenance";
  if (a.openpgp_key != b.openpgp_key) return "OpenPGP key";
  return "";
}

std::string base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Result<std::string> log_request(const tlog::ChartEntry& entry) {
  TRY_STATUS(tlog::chart_entry_body(entry));  // the log's own refusals, before the network
  json out = json::object();
  if (entry.kind == tlog::EntryKind::hashedrekord) {
    json verifier = {{"keyDetails", entry.key_details}};
    if (entry.certificate.empty()) {
      verifier["publicKey"] = {{"rawBytes", base64_encode(entry.public_key)}};
    } else {
      verifier["x509Certificate"] = {{"rawBytes", base64_encode(entry.certificate)}};
    }
    out["hashedRekordRequestV002"] = {
        {"digest", base64_encode(entry.digest)},
        {"signature", {{"content", base64_encode(entry.signature)}, {"verifier", std::move(verifier)}}}};
  } else {
    out["helmProvRequestV001"] = {{"chartDigest", base64_encode(entry.digest)},
                                  {"provenance", base64_encode(entry.provenance)},
                                  {"publicKey", base64_encode(entry.openpgp_key)}};
  }
  out["chartprov"] = {
      {"chart", entry.event.chart}, {"version", entry.event.version}, {"envelope", entry.event.envelope}};
  return out.dump();
}

Status check_logged_entry(const sigstore::TlogEntry& logged, const tlog::ChartEntry& submitted, const LogTarget& log) {
  const auto fail = [](const std::string& why) -> Status { return verify_error("log answer: " + why); };
  if (logged.kind != kind_name(submitted.kind) || logged.version != kind_version(submitted.kind)) {
    return fail("the entry is of kind " + logged.kind + " " + logged.version + ", not " + kind_name(submitted.kind) +
                " " + kind_version(submitted.kind));
  }
  auto body = tlog::parse_chart_entry(logged.body);
  if (!body) return fail("the entry: " + body.error().message);
  if (const std::string field = first_difference(*body, submitted); !field.empty()) {
    return fail("the logged entry is not the one submitted: its " + field + " differs");
  }
  if (!logged.proof) return fail("no inclusion proof");
  const sigstore::InclusionProof& p = *logged.proof;
  if (p.log_index != logged.log_index || p.tree_size <= 0 ||
      !tlog::verify_inclusion(static_cast<std::uint64_t>(p.log_index), static_cast<std::uint64_t>(p.tree_size),
                              tlog::leaf_hash(logged.body), p.hashes, p.root_hash)) {
    return fail("the inclusion proof does not lead to the root hash");
  }
  auto cp = tlog::parse_checkpoint(p.checkpoint);
  if (!cp) return fail(cp.error().message);
  if (cp->size != static_cast<std::uint64_t>(p.tree_size) || cp->root_hash != p.root_hash) {
    return fail("the checkpoint is for another tree than the inclusion proof");
  }
  TRY(const HttpUrl url, parse_http_url(log.url));
  if (cp->origin != url.host) {
    return fail("the checkpoint's origin " + cp->origin + " is not the log URL's host " + url.host);
  }
  if (log.key) {
    if (!tlog::checkpoint_signed_by(*cp, *log.key, url.host))
      return fail("the checkpoint is not signed by the log key");
    auto id = tlog::tile_log_id(*log.key, url.host);
    if (!id || *id != logged.log_id) return fail("the entry's logId is not the log key's");
  }
  return ok_status();
}

Result<sigstore::TlogEntry> submit_to_log(const LogTarget& log, const tlog::ChartEntry& entry) {
  const std::string where = "log " + redact_url(log.url);
  TRY_STATUS(parse_http_url(log.url));
  TRY(std::string body, log_request(entry));
  HttpPost post;
  post.url = base_url(log.url) + "/api/v2/log/entries";
  post.body = std::move(body);
  post.timeout_ms = log.timeout_ms;
  auto answers = http_post_all({post});
  if (!answers) return answers.error().with_context(where);
  const HttpAnswer& a = answers->at(0);
  if (!a.error.empty()) return input_error(where + ": " + a.error);
  if (a.status != 200 && a.status != 201) {
    std::string why;
    const json j = parse_untrusted_json(a.body);
    if (j.is_object() && j.contains("error") && j["error"].is_string()) why = ": " + j["error"].get<std::string>();
    return input_error(where + ": " + a.describe() + why);
  }
  auto logged = sigstore::parse_tlog_entry(a.body);
  if (!logged) return logged.error().with_context(where + ": the answer");
  if (auto st = check_logged_entry(*logged, entry, log); !st) return st.error().with_context(where);
  return std::move(*logged);
}

}  // namespace chartprov::app
