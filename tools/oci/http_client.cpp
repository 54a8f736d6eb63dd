#include "http_client.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include "util/url.hpp"

namespace chartprov::ocihelper {
namespace {

struct Sink {
  HttpResponse* response;
  std::size_t max;
  bool truncate;
  bool too_big = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t len = size * n;
  if (sink->response->body.size() + len > sink->max) {
    if (sink->truncate) {
      sink->response->body.insert(sink->response->body.end(), data, data + (sink->max - sink->response->body.size()));
      return len;
    }
    sink->too_big = true;
    return 0;  // aborts the transfer
  }
  sink->response->body.insert(sink->response->body.end(), data, data + len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const std::size_t len = size * n;
  std::string line(data, len);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect): start over
    response->headers.clear();
    response->www_authenticate.clear();
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return len;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string value = line.substr(colon + 1);
  value.erase(0, value.find_first_not_of(" \t"));
  if (name == "www-authenticate") response->www_authenticate.push_back(value);
  response->headers[name] = value;
  return len;
}

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

HttpClient::HttpClient(bool plain_http) : curl_(curl_easy_init()), plain_http_(plain_http) {}
HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

Result<HttpResponse> HttpClient::send(const HttpRequest& req) {
  if (curl_ == nullptr) return internal_error("libcurl failed to initialise");
  curl_easy_reset(curl_);
  HttpResponse response;
  Sink sink{&response, req.max_response, req.truncate_response};
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const auto& h : req.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr) return internal_error("out of memory");
    static_cast<void>(headers.release());  // next links to it: one list, owned again below
    headers.reset(next);
  }
  const char* protocols = plain_http_ && !req.https_only ? "http,https" : "https";
  curl_easy_setopt(curl_, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(curl_, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  curl_easy_setopt(curl_, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl_, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl_, CURLOPT_UNRESTRICTED_AUTH, 0L);  // credentials never follow a redirect to another host
  const long timeout_ms = req.timeout_ms > 0 ? req.timeout_ms : 600000L;
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 15000L));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, "chartprov");
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
  if (req.method == "HEAD") {
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET") {
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, req.body.empty() ? "" : reinterpret_cast<const char*>(req.body.data()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  const CURLcode rc = curl_easy_perform(curl_);
  // Never the URL as given: it may carry user:password@ or a token.
  if (sink.too_big)
    return input_error(redact_url(req.url) + ": the response is larger than " + std::to_string(req.max_response) +
                       " bytes");
  if (rc != CURLE_OK) return input_error(redact_url(req.url) + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace chartprov::ocihelper
