#include "app/helpers/http_client.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/helpers/helper_path.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/process/json_request.hpp"
#include "util/encoding.hpp"
#include "util/url.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;

Result<std::vector<HttpAnswer>> run_ops(json ops, long total_timeout_ms, std::size_t max_stdout) {
  TRY(const std::string helper, oci_helper_path());
  const std::size_t count = ops.size();
  json request = {{"protocol", "chartprov-oci/1"}, {"registry", ""}, {"ops", std::move(ops)}};
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(total_timeout_ms + 10000);  // the helper's own timeouts come first
  limits.max_stdout = max_stdout;
  auto r = process::run_json_request(helper, std::move(request), limits);
  if (!r) return r.error().with_context("chartprov-oci");
  if (r->exit_code != 0) return input_error("chartprov-oci failed: " + r->err);
  const auto answer = parse_untrusted_json(r->out);
  if (!answer.is_object() || !answer.contains("results") || !answer["results"].is_array() ||
      answer["results"].size() != count) {
    return input_error("chartprov-oci answered something unreadable");
  }
  std::vector<HttpAnswer> out;
  for (const auto& j : answer["results"]) {
    if (!j.is_object()) return input_error("chartprov-oci answered something unreadable");
    HttpAnswer a;
    if (j.contains("status") && j["status"].is_number_integer()) a.status = j["status"].get<long>();
    if (j.contains("media_type") && j["media_type"].is_string()) a.media_type = j["media_type"].get<std::string>();
    if (j.contains("error") && j["error"].is_string()) a.error = j["error"].get<std::string>();
    if (j.contains("body") && j["body"].is_string()) {
      auto b = base64_decode(j["body"].get<std::string>());
      if (!b) return input_error("chartprov-oci answered a body that is not base64");
      a.body.assign(b->begin(), b->end());
    }
    if (a.error.empty() && a.status == 0) a.error = "no HTTP answer";
    out.push_back(std::move(a));
  }
  return out;
}

long clamp_timeout(int ms) { return std::clamp<long>(ms, 1, 600000); }

}  // namespace

std::string HttpAnswer::describe() const {
  if (!error.empty()) return error;
  return "HTTP " + std::to_string(status);
}

Result<std::vector<HttpAnswer>> http_post_all(const std::vector<HttpPost>& posts) {
  if (posts.empty()) return std::vector<HttpAnswer>{};
  json ops = json::array();
  long total = 0;
  for (const auto& p : posts) {
    TRY_STATUS(parse_http_url(p.url));
    if (p.body.size() > kMaxPostBody) return input_error(redact_url(p.url) + ": a body larger than 512 KiB");
    ops.push_back({{"op", "http-post"},
                   {"url", p.url},
                   {"content_type", p.content_type},
                   {"body", base64_encode(as_bytes(p.body))},
                   {"timeout_ms", clamp_timeout(p.timeout_ms)}});
    total += clamp_timeout(p.timeout_ms);
  }
  return run_ops(std::move(ops), total, posts.size() * (128u << 10) + (64u << 10));
}

Result<HttpAnswer> http_get(const HttpGet& g) {
  TRY(const HttpUrl url, parse_http_url(g.url));
  if (g.https_only && url.scheme != "https") return usage_error(redact_url(g.url) + ": only https:// here");
  const std::size_t max = std::min(g.max, kMaxGetBody);
  json ops = json::array({{{"op", "http-get"},
                           {"url", g.url},
                           {"max", max},
                           {"timeout_ms", clamp_timeout(g.timeout_ms)},
                           {"https_only", g.https_only},
                           {"follow_redirects", g.follow_redirects}}});
  TRY(auto answers, run_ops(std::move(ops), clamp_timeout(g.timeout_ms), max / 3 * 4 + (64u << 10)));
  return std::move(answers.front());
}

Result<std::vector<HttpAnswer>> http_download_all(const std::vector<HttpDownload>& downloads) {
  if (downloads.empty()) return std::vector<HttpAnswer>{};
  json ops = json::array();
  long total = 0;
  for (const auto& d : downloads) {
    TRY_STATUS(parse_http_url(d.url));
    ops.push_back({{"op", "http-get"},
                   {"url", d.url},
                   {"out", d.out.string()},
                   {"max", std::min(d.max, kMaxDownload)},
                   {"timeout_ms", clamp_timeout(d.timeout_ms)},
                   {"follow_redirects", true},
                   {"https_only", d.url.starts_with("https://")}});  // no downgrade on a redirect
    total += clamp_timeout(d.timeout_ms);
  }
  return run_ops(std::move(ops), std::min<long>(total, 3600000), downloads.size() * 512 + (64u << 10));
}

}  // namespace chartprov::app
