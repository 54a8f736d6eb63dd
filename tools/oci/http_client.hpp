#pragma once
// A small HTTP client over libcurl for the registry API: one easy handle
// (connections are reused), http/https only, bounded responses, redirects
// followed only where asked (blob downloads go to storage backends).
#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::ocihelper {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;
  Bytes body;
  std::size_t max_response = 4u << 20;
  bool truncate_response = false;  // keep the first max_response bytes instead of failing
  bool follow_redirects = false;
  long timeout_ms = 0;      // whole transfer; 0: the registry default (600 s)
  bool https_only = false;  // refuse http:// even when the client allows it
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, last value wins
  std::vector<std::string> www_authenticate;
  Bytes body;
};

class HttpClient {
 public:
  explicit HttpClient(bool plain_http);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& request);

 private:
  CURL* curl_;
  bool plain_http_;
};

}  // namespace chartprov::ocihelper
