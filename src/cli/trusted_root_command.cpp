// `chartprov trusted-root create`: a Sigstore trusted_root.json for a team's
// own CA, from the PEM files of its chains (app/trust/private_trusted_root.hpp).
// Named and shaped after `cosign trusted-root create` (--certificate-chain,
// --timestamp-certificate-chain), so the files a cosign user has work as they
// are; the `trust` commands manage chartprov's own signed trust root, a
// different document.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/trust/private_trusted_root.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace chartprov::cli {
namespace {

struct TrustedRootOptions {
  std::vector<std::string> certificate_chains;
  std::vector<std::string> timestamp_chains;
  std::string tlog_url, tlog_key;
  std::string output;
  bool force = false;
};

int run_create(const TrustedRootOptions& o) {
  if (o.output.empty()) return report_error(usage_error("--output FILE is required (e.g. trusted_root.json)"));
  if (auto st = refuse_to_overwrite({o.output}); !o.force && !st) return report_error(st.error());
  app::PrivateTrustedRootRequest req;
  req.certificate_chains.assign(o.certificate_chains.begin(), o.certificate_chains.end());
  req.timestamp_chains.assign(o.timestamp_chains.begin(), o.timestamp_chains.end());
  if (o.tlog_url.empty() != o.tlog_key.empty())
    return report_error(usage_error("--tlog-url and --tlog-key go together"));
  if (!o.tlog_url.empty()) {
    app::LogTrustedRootRequest log;
    log.url = o.tlog_url;
    log.public_key = o.tlog_key;
    log.valid_from = unix_now();
    req.logs.push_back(std::move(log));
  }
  const auto root = app::make_private_trusted_root(req);
  if (!root) return report_error(root.error());
  if (auto w = atomic_write(o.output, *root, 0644); !w) return report_error(w.error());
  std::printf("Transparency logs: %zu\nCertificate authorities: %zu\nTimestamp authorities: %zu\nWrote: %s\n",
              req.logs.size(), req.certificate_chains.size(), req.timestamp_chains.size(), o.output.c_str());
  return kExitOk;
}

}  // namespace

Runner add_trusted_root_command(CLI::App& app) {
  auto o = std::make_shared<TrustedRootOptions>();
  auto* group = app.add_subcommand("trusted-root", "Sigstore trusted roots (trusted_root.json) for your own CA");
  group->require_subcommand(1);
  auto* create = group->add_subcommand(
      "create",
      "Write a trusted_root.json that lists your CA (and timestamp authorities), as cosign trusted-root create");
  create->add_option("--certificate-chain", o->certificate_chains,
                     "PEM file of one CA: the certificate that issues signing certificates first, the self-signed root "
                     "last (repeatable: one CA per file)");
  create->add_option("--timestamp-certificate-chain", o->timestamp_chains,
                     "PEM file of one RFC 3161 timestamp authority: its signing certificate first, the root last "
                     "(repeatable)");
  create->add_option("--tlog-url", o->tlog_url,
                     "chartprov's transparency log (chartprov log serve) to list: its base URL (with --tlog-key)");
  create->add_option("--tlog-key", o->tlog_key, "the log's Ed25519 public key (PEM), with --tlog-url");
  create->add_option("--output", o->output, "the trusted_root.json to write")->required();
  create->add_flag("--force", o->force, "overwrite an existing --output");
  return [o] { return run_create(*o); };
}

}  // namespace chartprov::cli
