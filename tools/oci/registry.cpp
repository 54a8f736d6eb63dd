#include "registry.hpp"

#include <nlohmann/json.hpp>

#include "util/encoding.hpp"

namespace chartprov::ocihelper {
namespace {

// Challenge parameters: Bearer realm="...",service="...",scope="..."
std::map<std::string, std::string> challenge_params(const std::string& header) {
  std::map<std::string, std::string> out;
  std::size_t pos = header.find(' ');
  while (pos != std::string::npos && pos < header.size()) {
    const auto eq = header.find('=', pos);
    if (eq == std::string::npos) break;
    std::string key = header.substr(pos, eq - pos);
    key.erase(0, key.find_first_not_of(" ,"));
    std::string value;
    std::size_t next = eq + 1;
    if (next < header.size() && header[next] == '"') {
      const auto close = header.find('"', next + 1);
      if (close == std::string::npos) break;
      value = header.substr(next + 1, close - next - 1);
      next = close + 1;
    } else {
      const auto comma = header.find(',', next);
      value = header.substr(next, comma == std::string::npos ? std::string::npos : comma - next);
      next = comma == std::string::npos ? header.size() : comma;
    }
    out[key] = value;
    pos = header.find(',', next);
    if (pos != std::string::npos) ++pos;
  }
  return out;
}

std::string url_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

Registry::Registry(std::string host, bool plain_http, std::optional<Credentials> credentials)
    : host_(std::move(host)), plain_http_(plain_http), credentials_(std::move(credentials)), http_(plain_http) {}

std::string Registry::base_url() const { return (plain_http_ ? "http://" : "https://") + host_ + "/v2/"; }

Result<std::string> Registry::token_for(const std::string& challenge, const std::string& repo, bool push) {
  const std::string scheme = challenge.substr(0, challenge.find(' '));
  if (scheme == "Basic" || scheme == "basic") {
    if (!credentials_ || credentials_->username.empty()) {
      return verify_error(host_ + " needs a user name and password (docker login, or --username/--password-stdin)");
    }
    const std::string pair = credentials_->username + ":" + credentials_->password.str();
    return "Authorization: Basic " + base64_encode(as_bytes(pair));
  }
  if (scheme != "Bearer" && scheme != "bearer")
    return verify_error(host_ + " asks for unsupported authentication " + scheme);
  auto params = challenge_params(challenge);
  const std::string realm = params["realm"];
  if (realm.rfind("https://", 0) != 0 && !(plain_http_ && realm.rfind("http://", 0) == 0)) {
    return verify_error(host_ + " names a token realm that is not https: " + realm);
  }
  std::string url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
  if (!params["service"].empty()) url += "service=" + url_encode(params["service"]) + "&";
  url += "scope=" + url_encode("repository:" + repo + (push ? ":pull,push" : ":pull"));
  HttpRequest req;
  req.url = url;
  req.max_response = 1u << 20;
  if (credentials_ && !credentials_->username.empty()) {
    const std::string pair = credentials_->username + ":" + credentials_->password.str();
    req.headers.push_back("Authorization: Basic " + base64_encode(as_bytes(pair)));
  }
  TRY(const HttpResponse r, http_.send(req));
  if (r.status != 200) return verify_error("the token service of " + host_ + " answered " + std::to_string(r.status));
  const auto doc = nlohmann::json::parse(r.body.begin(), r.body.end(), nullptr, false);
  std::string token;
  if (doc.is_object()) {
    if (doc.contains("token") && doc["token"].is_string()) token = doc["token"].get<std::string>();
    if (token.empty() && doc.contains("access_token") && doc["access_token"].is_string())
      token = doc["access_token"].get<std::string>();
  }
  if (token.empty()) return verify_error("the token service of " + host_ + " gave no token");
  return "Authorization: Bearer " + token;
}

Result<HttpResponse> Registry::call(HttpRequest request, const std::string& path, const std::string& repo, bool push) {
  request.url = path.rfind("http", 0) == 0 ? path : base_url() + path;
  const std::string scope = repo + (push ? ":push" : ":pull");
  std::vector<std::string> base_headers = request.headers;
  if (const auto it = auth_by_scope_.find(scope); it != auth_by_scope_.end()) request.headers.push_back(it->second);
  TRY(HttpResponse r, http_.send(request));
  if (r.status != 401 || r.www_authenticate.empty()) return r;
  TRY(const std::string auth, token_for(r.www_authenticate.front(), repo, push));
  auth_by_scope_[scope] = auth;
  request.headers = base_headers;
  request.headers.push_back(auth);
  return http_.send(request);
}

}  // namespace chartprov::ocihelper
