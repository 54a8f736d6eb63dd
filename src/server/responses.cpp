#include "server/responses.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace chartprov::server {

HttpResponse json_response(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse error_json(int status, const std::string& message) {
  return json_response(status, nlohmann::json{{"error", message}});
}

HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

HttpResponse method_not_allowed(const char* allow) {
  auto r = error_json(405, std::string("method not allowed; use ") + allow);
  r.headers.emplace_back("Allow", allow);
  return r;
}

bool is_json_media_type(const std::string* content_type) {
  if (content_type == nullptr) return false;
  std::string v = content_type->substr(0, content_type->find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return v == "application/json";
}

}  // namespace chartprov::server
