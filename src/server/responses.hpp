#pragma once
// The answers both services build the same way: JSON and text bodies that
// are never cached, the 405 with its Allow field, and the media-type test of
// a JSON request body.
#include <nlohmann/json.hpp>
#include <string>

#include "server/http_server.hpp"

namespace chartprov::server {

// `body` as one line of JSON (invalid UTF-8 replaced, never thrown), Cache-Control: no-store.
HttpResponse json_response(int status, const nlohmann::json& body);
// {"error": message}.
HttpResponse error_json(int status, const std::string& message);
// text/plain; charset=utf-8, Cache-Control: no-store.
HttpResponse text_response(int status, std::string body);
// 405 "method not allowed; use ALLOW", with the Allow field.
HttpResponse method_not_allowed(const char* allow);
// Content-Type names application/json (parameters and case ignored).
bool is_json_media_type(const std::string* content_type);

}  // namespace chartprov::server
