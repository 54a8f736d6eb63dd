#pragma once
// The OCI distribution API for one registry: manifests and blobs by
// repository, with the registry's auth challenge answered (Basic, or a
// Bearer token fetched from the realm it names, with the user's credentials).
#include <map>
#include <optional>
#include <string>

#include "http_client.hpp"
#include "util/secure.hpp"

namespace chartprov::ocihelper {

struct Credentials {
  std::string username;
  SecretString password;  // or an identity token when username is empty
};

class Registry {
 public:
  Registry(std::string host, bool plain_http, std::optional<Credentials> credentials);

  // path: below /v2/ (e.g. "charts/demo/manifests/1.0.0"); scope: the repository.
  Result<HttpResponse> call(HttpRequest request, const std::string& path, const std::string& repo, bool push);

 private:
  Result<std::string> token_for(const std::string& challenge, const std::string& repo, bool push);
  std::string base_url() const;

  std::string host_;
  bool plain_http_;
  std::optional<Credentials> credentials_;
  HttpClient http_;
  std::map<std::string, std::string> auth_by_scope_;  // "repo:pull" -> Authorization header
};

}  // namespace chartprov::ocihelper
