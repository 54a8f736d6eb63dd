#pragma once
// The registry as chartprov sees it: batches of requests run by the
// chartprov-oci transport (tools/oci/PROTOCOL.md), credentials from flags or
// the Docker config, downloads into a private directory removed afterwards.
// Nothing the transport returns is trusted: callers check every digest.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {

// The most chartprov-oci's JSON answer to one batch may hold (blobs come back
// base64 inside it).
inline constexpr std::size_t kMaxOciAnswer = 64u << 20;

struct OciConnection {
  std::string registry;  // host[:port]
  bool plain_http = false;
  std::optional<std::string> username;
  std::optional<SecretString> password;
};

// Fills username/password from the Docker config when none were given
// (auths entry, or a docker-credential-<helper> found on PATH).
Status resolve_registry_credentials(OciConnection& connection);

struct OciResult {
  long status = 0;
  std::string media_type;
  std::string digest_header;
  std::string oci_subject;  // OCI-Subject: a registry with the referrers API took a manifest with this subject
  Bytes body;               // manifests and referrer lists
  std::string error;        // transport failure
};

class OciSession {
 public:
  static Result<OciSession> open(OciConnection connection);
  OciSession(OciSession&&) noexcept;
  OciSession& operator=(OciSession&&) = delete;
  OciSession(const OciSession&) = delete;
  ~OciSession() = default;

  // One transport process for the whole batch (see PROTOCOL.md for ops): one
  // result per op, in order. Refusals: the helper cannot be found or run, or
  // fails; an answer that is not its JSON, or holds another number of results
  // ("chartprov-oci answered something unreadable").
  Result<std::vector<OciResult>> run(nlohmann::json ops);
  std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }
  const OciConnection& connection() const { return connection_; }

 private:
  OciSession(OciConnection c, TempDir dir) : connection_(std::move(c)), dir_(std::move(dir)) {}
  OciConnection connection_;
  TempDir dir_;  // private, removed with the session (or by the next session if this process is killed)
};

}  // namespace chartprov::app
