#pragma once
// Registry credentials from the Docker config file (~/.docker/config.json,
// or $DOCKER_CONFIG/config.json), as `docker login` and `helm registry
// login` leave them: an "auths" entry (base64 user:password, or username +
// password), or the name of a credential helper (credHelpers / credsStore).
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::oci {

struct DockerCredentials {
  std::string username;
  SecretString password;
};

struct DockerAuthEntry {
  std::optional<DockerCredentials> credentials;  // found inline
  std::string helper;                            // else: docker-credential-<helper>
};

inline constexpr std::size_t kMaxDockerConfig = 1u << 20;

// What the config says for `host` (host[:port]); an empty entry when nothing.
// Keys may carry a scheme or a path (https://host/v1/); they match by host.
Result<DockerAuthEntry> docker_auth_for(std::string_view text, std::string_view host);

// A credential helper's answer to `get`: {"Username": ..., "Secret": ...}.
Result<DockerCredentials> parse_helper_answer(std::string_view text);

}  // namespace chartprov::oci
