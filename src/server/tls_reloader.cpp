#include "server/tls_reloader.hpp"

#include <sys/stat.h>

#include <utility>

#include "util/clock.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::server {
namespace {

void add_identity(std::string& out, const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    out += "missing;";
    return;
  }
  out += std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ";";
}

// What changes when any of the files is replaced or rewritten.
std::string files_identity(const tls::ServerFiles& files) {
  std::string id;
  add_identity(id, files.cert);
  add_identity(id, files.key);
  if (files.client_ca) add_identity(id, *files.client_ca);
  return id;
}

}  // namespace

TlsReloader::TlsReloader(tls::ServerFiles files, Log log, std::chrono::milliseconds check_interval,
                         std::shared_ptr<const tls::TlsContext> first, std::string identity)
    : files_(std::move(files)),
      log_(std::move(log)),
      check_interval_(check_interval),
      context_(std::move(first)),
      loaded_identity_(std::move(identity)),
      checked_(std::chrono::steady_clock::now()) {}

Result<std::unique_ptr<TlsReloader>> TlsReloader::start(tls::ServerFiles files, Log log,
                                                        std::chrono::milliseconds check_interval) {
  std::string identity = files_identity(files);
  TRY(auto context, tls::load_tls_context(files, unix_now()));
  return std::make_unique<TlsReloader>(std::move(files), std::move(log), check_interval, std::move(context),
                                       std::move(identity));
}

std::shared_ptr<const tls::TlsContext> TlsReloader::current() {
  std::string identity;
  {
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - checked_ < check_interval_) return context_;
    checked_ = now;  // one look per interval, whichever connection asks
    identity = files_identity(files_);
    if (identity == loaded_identity_) return context_;
  }
  auto loaded = tls::load_tls_context(files_, unix_now());  // outside the lock: reading files
  const std::lock_guard lock(mutex_);
  if (loaded) {
    context_ = std::move(*loaded);
    loaded_identity_ = identity;
    failed_identity_.clear();
    failure_.clear();
    if (log_) {
      log_("TLS certificate reloaded: " + context_->facts().subject + ", valid until " +
           format_rfc3339(context_->facts().not_after));
    }
  } else if (identity != failed_identity_) {
    failed_identity_ = identity;
    failure_ = loaded.error().message;
    if (log_) log_("TLS certificate files changed but cannot be loaded; the previous certificate stays: " + failure_);
  }
  return context_;
}

std::string TlsReloader::problem(std::int64_t now) {
  const auto context = current();
  const std::lock_guard lock(mutex_);
  const auto& facts = context->facts();
  if (now > facts.not_after) return "the serving certificate expired at " + format_rfc3339(facts.not_after);
  if (now < facts.not_before) return "the serving certificate is not valid until " + format_rfc3339(facts.not_before);
  return "";
}

std::string TlsReloader::reload_failure() {
  const std::lock_guard lock(mutex_);
  return failure_;
}

}  // namespace chartprov::server
