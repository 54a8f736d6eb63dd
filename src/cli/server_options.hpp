#pragma once
// The options `serve` and `admission` share: where trusted keys come from,
// and how the HTTP server serves (workers, deadlines, keep-alive).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "app/verify/trust_material.hpp"
#include "server/http_server.hpp"

namespace chartprov::cli {

// A path option: unset when empty.
std::optional<std::filesystem::path> optional_path(const std::string& s);

struct ServerTrustOptions {
  std::string trust_dir, keyring, key, key_history, trusted_root;
  bool no_cache = false;
  app::TrustSource source() const;  // empty strings are unset
};

// --trust-dir, --trust-state, --keyring, --key, --key-history, --trusted-root, --no-cache.
void add_server_trust_options(CLI::App* cmd, ServerTrustOptions& o);

struct ServerTuning {
  int workers = 4;
  int read_timeout = 10;
  int keep_alive_requests = 100;
  server::ServerOptions options() const;
};

// --workers, --read-timeout, --keep-alive-requests, with `t`'s values as defaults.
void add_server_tuning_options(CLI::App* cmd, ServerTuning& t);

}  // namespace chartprov::cli
