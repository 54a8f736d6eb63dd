#pragma once
// The serving certificate of a TLS listener, kept current: cert-manager and
// kubelet replace the mounted files (a new target behind the same path) well
// before the old certificate expires, and a server must pick them up without
// a restart. Thread-safe: every accepted connection asks for the context.
//
// At most once per check interval, current() compares the files' identities
// (device, inode, size, modification time, through symlinks) with those of
// the last load. When they changed it loads them again (tls::load_tls_context):
// on success the new context serves every new connection (connections in
// progress keep theirs); on a refusal (a half-written rotation, an expired
// certificate) the previous context stays, the refusal is logged once and
// reported by problem(), and the files are tried again at the next check.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "infra/tls/tls_context.hpp"
#include "util/result.hpp"

namespace chartprov::server {

class TlsReloader {
 public:
  using Log = std::function<void(std::string_view line)>;

  // Loads the files once; refusals: tls::load_tls_context's.
  [[nodiscard]] static Result<std::unique_ptr<TlsReloader>> start(tls::ServerFiles files, Log log,
                                                                  std::chrono::milliseconds check_interval);
  TlsReloader(tls::ServerFiles files, Log log, std::chrono::milliseconds check_interval,
              std::shared_ptr<const tls::TlsContext> first, std::string identity);

  std::shared_ptr<const tls::TlsContext> current();

  // Why the listener is not fit to serve at `now`, or "": the serving
  // certificate expired or is not valid yet (after looking at the files).
  std::string problem(std::int64_t now);
  // Why the files, which changed, could not be loaded, or "". The previous
  // certificate still serves: this alone does not make the server unfit
  // (every replica would drop out of the Service on a bad rotation).
  std::string reload_failure();

 private:
  const tls::ServerFiles files_;
  const Log log_;
  const std::chrono::milliseconds check_interval_;
  std::mutex mutex_;
  std::shared_ptr<const tls::TlsContext> context_;
  std::string loaded_identity_;  // of the files context_ came from
  std::string failed_identity_;  // of files that were refused ("" when none)
  std::string failure_;          // why
  std::chrono::steady_clock::time_point checked_;
};

}  // namespace chartprov::server
