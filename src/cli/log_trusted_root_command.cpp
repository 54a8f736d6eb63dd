// `chartprov log trusted-root --url URL --key LOG.pub [--origin NAME]
// [--valid-from RFC3339] [--output FILE]`: prints (or writes) the Sigstore
// trusted_root.json that lists the log (app/trust/log_trusted_root.hpp), for
// sigstore-js, cosign, `chartprov verify --trusted-root` and `chartprov trust
// set-sigstore-root`.
#include "cli/log_trusted_root_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>

#include "app/trust/log_trusted_root.hpp"
#include "cli/output.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"
#include "util/writeall.hpp"

namespace chartprov::cli {
namespace {

struct LogTrustedRootOptions {
  std::string url;
  std::string key;
  std::string origin;
  std::string valid_from;
  std::string output;
  bool force = false;
};

int run_log_trusted_root(const LogTrustedRootOptions& o) {
  app::LogTrustedRootRequest req;
  req.url = o.url;
  req.public_key = o.key;
  if (!o.origin.empty()) req.origin = o.origin;
  req.valid_from = unix_now();
  if (!o.valid_from.empty()) {
    auto t = parse_rfc3339(o.valid_from);
    if (!t) return report_error(usage_error("--valid-from: " + t.error().message));
    req.valid_from = *t;
  }
  auto root = app::make_log_trusted_root(req);
  if (!root) return report_error(root.error());
  if (o.output.empty()) {
    std::fflush(stdout);
    if (writeall(1, *root) != 0) return report_error(input_error("cannot write the trusted root to stdout"));
    return kExitOk;
  }
  if (auto st = refuse_to_overwrite({o.output}); !o.force && !st) return report_error(st.error());
  if (auto w = atomic_write(o.output, *root, 0644); !w) return report_error(w.error());
  std::printf("Wrote: %s\n", o.output.c_str());
  return kExitOk;
}

}  // namespace

Runner add_log_trusted_root_command(CLI::App& log) {
  auto o = std::make_shared<LogTrustedRootOptions>();
  auto* cmd = log.add_subcommand(
      "trusted-root",
      "Print a Sigstore trusted_root.json that lists the log (for sigstore-js, cosign, --trusted-root)");
  cmd->add_option("--url", o->url, "the log's base URL, as clients reach it (its host is the log's origin)")
      ->required();
  cmd->add_option("--key", o->key, "the log's Ed25519 public key (PEM)")->required();
  cmd->add_option("--origin", o->origin, "the log's origin (log serve --origin), checked: it must be the URL's host");
  cmd->add_option("--valid-from", o->valid_from, "when the log key starts to be valid (RFC 3339; default: now)");
  cmd->add_option("--output", o->output, "write the trusted_root.json to FILE instead of stdout");
  cmd->add_flag("--force", o->force, "overwrite an existing --output");
  return [o] { return run_log_trusted_root(*o); };
}

}  // namespace chartprov::cli
