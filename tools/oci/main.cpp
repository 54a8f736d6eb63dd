// chartprov-oci: the OCI registry transport (PROTOCOL.md). Bytes only: every
// decision is chartprov's.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/helpers/http_client.hpp"
#include "chart/archive_reader.hpp"
#include "oci/manifest.hpp"
#include "registry.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/url.hpp"
#include "util/writeall.hpp"

namespace {

using nlohmann::json;
using namespace chartprov;
using namespace chartprov::ocihelper;

const char* kAccept =
    "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

std::string str(const json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json with_status(const HttpResponse& r, bool body) {
  json out = {{"status", r.status}};
  if (const auto it = r.headers.find("content-type"); it != r.headers.end()) out["media_type"] = it->second;
  if (const auto it = r.headers.find("docker-content-digest"); it != r.headers.end()) out["digest"] = it->second;
  // A registry with the referrers API names the subject of a manifest it took (distribution-spec 1.1).
  if (const auto it = r.headers.find("oci-subject"); it != r.headers.end()) out["oci_subject"] = it->second;
  if (body && r.status >= 200 && r.status < 300) out["body"] = base64_encode(r.body);
  return out;
}

// A new file (created 0600, never over an existing one) holding `data`.
Status write_new_file(const std::string& path, const Bytes& data) {
  if (path.empty()) return usage_error("no out file");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return input_error("cannot create " + path);
  if (writeall(fd, data) != 0) {
    ::close(fd);
    return input_error("cannot write " + path);
  }
  if (::close(fd) != 0) return input_error("cannot write " + path);
  return ok_status();
}

using app::kMaxPostBody;
constexpr std::size_t kMaxGet = app::kMaxGetBody;
constexpr std::size_t kMaxGetFile = app::kMaxDownload;  // http-get with "out": a chart or an index
using oci::kMaxManifest;
constexpr long kMaxTimeoutMs = 600000;

long timeout_of(const json& op) {
  const auto t = op.find("timeout_ms");
  if (t == op.end() || !t->is_number_unsigned()) return 30000;
  return std::clamp<long>(t->get<long>(), 1, kMaxTimeoutMs);
}

// http-post / http-get: plain HTTP operations for webhooks and documents
// (PROTOCOL.md). The URL's user:password@, if any, is curl's Basic auth.
Result<json> run_http_op(HttpClient& http, const json& op) {
  const std::string kind = str(op, "op");
  const std::string url = str(op, "url");
  TRY(const HttpUrl parsed, parse_http_url(url));
  (void)parsed;
  HttpRequest req;
  req.url = url;
  req.timeout_ms = timeout_of(op);
  req.https_only = op.value("https_only", false);
  const auto max = op.find("max");
  if (kind == "http-post") {
    auto body = base64_decode(str(op, "body"));
    if (!body) return usage_error("http-post: the body is not base64");
    if (body->size() > kMaxPostBody)
      return usage_error("http-post: a body larger than " + byte_size_text(kMaxPostBody));
    req.method = "POST";
    req.body = std::move(*body);
    const std::string type = str(op, "content_type");
    req.headers.push_back("Content-Type: " + (type.empty() ? std::string("application/octet-stream") : type));
    req.headers.emplace_back("Expect:");  // no 100-continue round trip
    req.max_response =
        max != op.end() && max->is_number_unsigned() ? std::min(max->get<std::size_t>(), kMaxGet) : (64u << 10);
    req.truncate_response = true;  // a webhook's answer is only shown, never needed whole
  } else {
    req.follow_redirects = op.value("follow_redirects", false);
    const std::size_t cap = op.contains("out") ? kMaxGetFile : kMaxGet;
    req.max_response =
        max != op.end() && max->is_number_unsigned() ? std::min(max->get<std::size_t>(), cap) : (1u << 20);
  }
  TRY(const HttpResponse r, http.send(req));
  if (kind == "http-get" && op.contains("out")) {
    // Written to a new file (0600, never over an existing one), not sent back.
    json out = {{"status", r.status}};
    if (r.status >= 200 && r.status < 300) TRY_STATUS(write_new_file(str(op, "out"), r.body));
    if (const auto it = r.headers.find("content-type"); it != r.headers.end()) out["media_type"] = it->second;
    return out;
  }
  json out = {{"status", r.status}, {"body", base64_encode(r.body)}};
  if (const auto it = r.headers.find("content-type"); it != r.headers.end()) out["media_type"] = it->second;
  return out;
}

Result<json> run_op(Registry& reg, const json& op) {
  const std::string kind = str(op, "op");
  const std::string repo = str(op, "repo");
  if (repo.empty()) return usage_error("an op without repo");
  if (kind == "get-manifest") {
    HttpRequest req;
    req.headers.emplace_back(kAccept);
    req.max_response = kMaxManifest;
    TRY(const HttpResponse r, reg.call(req, repo + "/manifests/" + str(op, "ref"), repo, false));
    return with_status(r, true);
  }
  if (kind == "get-referrers") {
    HttpRequest req;
    req.headers.emplace_back("Accept: application/vnd.oci.image.index.v1+json");
    req.max_response = kMaxManifest;
    TRY(const HttpResponse r, reg.call(req, repo + "/referrers/" + str(op, "digest"), repo, false));
    return with_status(r, true);
  }
  if (kind == "list-tags") {
    // Every page (Link: <...>; rel="next"), at most 100 pages: one tag list.
    json tags = json::array();
    std::string path = repo + "/tags/list?n=1000";
    for (int page = 0; page < 100 && !path.empty(); ++page) {
      HttpRequest req;
      req.max_response = kMaxManifest;
      TRY(const HttpResponse r, reg.call(req, path, repo, false));
      if (r.status != 200) return with_status(r, false);
      const json body = json::parse(r.body.begin(), r.body.end(), nullptr, false);
      if (!body.is_object()) return json{{"status", r.status}, {"error", "the tag list is not a JSON object"}};
      if (const auto t = body.find("tags"); t != body.end() && t->is_array()) {
        for (const auto& tag : *t) {
          if (tag.is_string()) tags.push_back(tag);
        }
      }
      path.clear();
      if (const auto link = r.headers.find("link");
          link != r.headers.end() && link->second.find("rel=\"next\"") != std::string::npos) {
        const auto open = link->second.find('<');
        const auto close = link->second.find('>');
        if (open != std::string::npos && close != std::string::npos && close > open) {
          std::string next = link->second.substr(open + 1, close - open - 1);
          if (next.rfind("/v2/", 0) == 0) next = next.substr(4);
          if (next.rfind(repo + "/tags/list", 0) == 0) path = next;  // only this repository's list
        }
      }
    }
    const std::string text = json{{"tags", tags}}.dump();
    return json{{"status", 200}, {"body", base64_encode(as_bytes(text))}};
  }
  if (kind == "get-blob") {
    HttpRequest req;
    req.follow_redirects = true;
    const auto max = op.find("max");
    req.max_response = max != op.end() && max->is_number_unsigned() ? max->get<std::size_t>() : chart::kMaxChartArchive;
    TRY(const HttpResponse r, reg.call(req, repo + "/blobs/" + str(op, "digest"), repo, false));
    json out = with_status(r, false);
    if (r.status == 200) TRY_STATUS(write_new_file(str(op, "out"), r.body));
    return out;
  }
  if (kind == "put-blob") {
    const std::string digest = str(op, "digest");
    TRY(const Bytes data, read_file(str(op, "file"), chart::kMaxChartArchive));
    HttpRequest head;
    head.method = "HEAD";
    TRY(const HttpResponse exists, reg.call(head, repo + "/blobs/" + digest, repo, true));
    if (exists.status == 200) return json{{"status", 200}};
    HttpRequest start;
    start.method = "POST";
    TRY(const HttpResponse session, reg.call(start, repo + "/blobs/uploads/", repo, true));
    const auto loc = session.headers.find("location");
    if (session.status != 202 || loc == session.headers.end()) return with_status(session, false);
    std::string url = loc->second;
    if (url.rfind("http", 0) != 0) url = str(op, "base") + url;  // relative Location: made absolute below
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;
    HttpRequest put;
    put.method = "PUT";
    put.body = data;
    put.headers.emplace_back("Content-Type: application/octet-stream");
    TRY(const HttpResponse done, reg.call(put, url, repo, true));
    return with_status(done, false);
  }
  if (kind == "put-manifest") {
    TRY(const Bytes data, read_file(str(op, "file"), kMaxManifest));
    HttpRequest put;
    put.method = "PUT";
    put.body = data;
    put.headers.push_back("Content-Type: " + str(op, "media_type"));
    TRY(const HttpResponse r, reg.call(put, repo + "/manifests/" + str(op, "ref"), repo, true));
    return with_status(r, false);
  }
  return usage_error("unknown op '" + kind + "'");
}

}  // namespace

int main() {
  std::string input;
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    input.append(buf, n);
    if (input.size() > (1u << 20)) {
      std::fputs("chartprov-oci: request too large\n", stderr);
      return 2;
    }
  }
  json request = json::parse(input, nullptr, false);
  secure_wipe(input.data(), input.size());
  if (!request.is_object() || str(request, "protocol") != "chartprov-oci/1" || !request.contains("ops") ||
      !request["ops"].is_array()) {
    std::fputs("chartprov-oci: not a chartprov-oci/1 request\n", stderr);
    return 2;
  }
  const std::string host = str(request, "registry");
  const bool plain_http = request.value("plain_http", false);
  std::optional<Credentials> creds;
  if (request.contains("password") && request["password"].is_string()) {
    creds = Credentials{str(request, "username"), SecretString(request["password"].get<std::string>())};
    auto& p = request["password"].get_ref<std::string&>();
    secure_wipe(p.data(), p.size());
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  json results = json::array();
  bool understood = true;
  {  // every easy handle is gone before curl_global_cleanup
    Registry reg(host, plain_http, std::move(creds));
    HttpClient http(true);  // http-post / http-get: the URL's own scheme (https_only to refuse http)
    for (auto op : request["ops"]) {
      if (!op.is_object()) {
        understood = false;
        break;
      }
      const std::string kind = str(op, "op");
      op["base"] = std::string(plain_http ? "http://" : "https://") + host;
      auto r = kind == "http-post" || kind == "http-get" ? run_http_op(http, op) : run_op(reg, op);
      results.push_back(r.ok() ? *r : json{{"status", 0}, {"error", r.error().message}});
    }
  }
  curl_global_cleanup();
  if (!understood) {
    std::fputs("chartprov-oci: an op is not an object\n", stderr);
    return 2;
  }
  std::cout << json{{"results", results}}.dump() << std::flush;
  return 0;
}
