#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/sign/package.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/signer_options.hpp"

namespace chartprov::cli {
namespace {

struct PackageCommandOptions {
  std::string chart_dir;
  std::string destination = ".";
  bool sign = false;
  SignerOptions signer;
};

int run_package(const PackageCommandOptions& o) {
  app::PackageRequest req;
  req.chart_dir = o.chart_dir;
  req.destination = o.destination;
  if (o.sign) {
    auto s = make_sign_request(o.signer);
    if (!s.ok()) return report_error(s.error());
    req.sign = std::move(*s);
  } else if (!o.signer.key.empty()) {
    return report_error(usage_error("--key given without --sign"));
  }
  const auto result = app::package_and_sign(req);
  if (!result.ok()) return report_error(result.error());
  std::printf("Packaged: %s (%s)\n", result->archive.c_str(), result->digest.c_str());
  if (result->signature) {
    std::printf("Signed by: %s\n", result->signature->fingerprint.c_str());
    std::printf("Provenance: %s\n", result->signature->prov.c_str());
  }
  return kExitOk;
}

}  // namespace

Runner add_package_command(CLI::App& app) {
  auto o = std::make_shared<PackageCommandOptions>();
  auto* cmd = app.add_subcommand("package", "Package a chart directory as helm does (reproducibly), optionally signed");
  cmd->add_option("chart_dir", o->chart_dir, "chart directory (with Chart.yaml)")->required();
  cmd->add_option("-d,--destination", o->destination, "output directory (default: current)");
  cmd->add_flag("--sign", o->sign, "also write the .prov (needs --key)");
  add_signer_options(*cmd, o->signer);
  return [o] { return run_package(*o); };
}

}  // namespace chartprov::cli
