#include "cli/server_options.hpp"

#include <chrono>

#include "cli/trust_state_option.hpp"

namespace chartprov::cli {
std::optional<std::filesystem::path> optional_path(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::filesystem::path(s);
}

app::TrustSource ServerTrustOptions::source() const {
  app::TrustSource trust;
  trust.trust_dir = optional_path(trust_dir);
  trust.keyring = optional_path(keyring);
  trust.key = optional_path(key);
  trust.key_history = optional_path(key_history);
  trust.trusted_root = optional_path(trusted_root);
  trust.use_keyring_cache = !no_cache;
  return trust;
}

void add_server_trust_options(CLI::App* cmd, ServerTrustOptions& o) {
  cmd->add_option("--trust-dir", o.trust_dir, "trusted keys: a trust root directory (root.json)");
  cmd->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  cmd->add_option_function<std::string>("--tlog-state", use_tlog_state_file, kTlogStateHelp);
  cmd->add_option("--keyring", o.keyring, "trusted keys: an OpenPGP keyring (.prov only)");
  cmd->add_option("--key", o.key, "trusted keys: one public key (cosign.pub, PEM)");
  cmd->add_option("--key-history", o.key_history, "with --keyring/--key: validity windows and revocations");
  cmd->add_option("--trusted-root", o.trusted_root, "Sigstore trusted_root.json for bundle log entries");
  cmd->add_flag("--no-cache", o.no_cache, "do not use the keyring cache");
}

server::ServerOptions ServerTuning::options() const {
  server::ServerOptions options;
  options.workers = workers;
  options.read_timeout = std::chrono::seconds(read_timeout);
  options.max_requests_per_connection = keep_alive_requests;
  return options;
}

void add_server_tuning_options(CLI::App* cmd, ServerTuning& t) {
  cmd->add_option("--workers", t.workers, "connections served at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--read-timeout", t.read_timeout, "seconds to receive a whole request (and, over TLS, the handshake)")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  cmd->add_option("--keep-alive-requests", t.keep_alive_requests, "requests per connection before it is closed")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
}

}  // namespace chartprov::cli
