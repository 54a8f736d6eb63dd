#include "oci/docker_config.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::oci {
namespace {

using nlohmann::json;

std::string host_of(std::string key) {
  for (const char* scheme : {"https://", "http://"}) {
    if (key.rfind(scheme, 0) == 0) key = key.substr(std::string_view(scheme).size());
  }
  return key.substr(0, key.find('/'));
}

bool valid_helper_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<DockerAuthEntry> docker_auth_for(std::string_view text, std::string_view host) {
  if (text.size() > kMaxDockerConfig)
    return input_error("docker config larger than " + byte_size_text(kMaxDockerConfig));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded() || !doc.is_object()) return input_error("docker config is not a JSON object");
  DockerAuthEntry out;
  if (const auto helpers = doc.find("credHelpers"); helpers != doc.end() && helpers->is_object()) {
    for (const auto& [key, value] : helpers->items()) {
      if (host_of(key) == host && value.is_string()) out.helper = value.get<std::string>();
    }
  }
  if (const auto auths = doc.find("auths"); auths != doc.end() && auths->is_object()) {
    for (const auto& [key, value] : auths->items()) {
      if (host_of(key) != host || !value.is_object()) continue;
      if (value.contains("auth") && value["auth"].is_string() && !value["auth"].get<std::string>().empty()) {
        auto raw = base64_decode(value["auth"].get<std::string>());
        if (!raw) return input_error("docker config: the auth entry for " + std::string(host) + " is not base64");
        std::string pair(as_chars(*raw));
        const auto colon = pair.find(':');
        if (colon == std::string::npos) {
          secure_wipe(pair.data(), pair.size());
          return input_error("docker config: the auth entry for " + std::string(host) + " is not user:password");
        }
        out.credentials = DockerCredentials{pair.substr(0, colon), SecretString(pair.substr(colon + 1))};
        secure_wipe(pair.data(), pair.size());
        secure_wipe(raw->data(), raw->size());
      } else if (value.contains("username") && value["username"].is_string() && value.contains("password") &&
                 value["password"].is_string()) {
        out.credentials =
            DockerCredentials{value["username"].get<std::string>(), SecretString(value["password"].get<std::string>())};
      }
    }
  }
  if (!out.credentials && out.helper.empty()) {
    if (const auto store = doc.find("credsStore"); store != doc.end() && store->is_string())
      out.helper = store->get<std::string>();
  }
  if (!out.helper.empty() && !valid_helper_name(out.helper)) {
    return input_error("docker config: credential helper name '" + out.helper + "' is not a plain name");
  }
  return out;
}

Result<DockerCredentials> parse_helper_answer(std::string_view text) {
  const json doc = parse_untrusted_json(text);
  if (!doc.is_object() || !doc.contains("Secret") || !doc["Secret"].is_string()) {
    return input_error("the credential helper's answer has no Secret");
  }
  DockerCredentials c;
  if (doc.contains("Username") && doc["Username"].is_string()) c.username = doc["Username"].get<std::string>();
  c.password = SecretString(doc["Secret"].get<std::string>());
  return c;
}

}  // namespace chartprov::oci
