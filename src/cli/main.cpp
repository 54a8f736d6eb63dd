#include "cli/main.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "infra/openssl/digest.hpp"
#include "util/version.hpp"

namespace chartprov::cli {

int run(int argc, char** argv) {
  crypto::init_openssl();
  CLI::App app("chartprov: sign and verify Helm chart provenance, strictly", "chartprov");
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  std::vector<std::pair<CLI::App*, Runner>> runners;
  const auto add = [&](Runner (*adder)(CLI::App&)) {
    const auto before = app.get_subcommands({}).size();
    Runner r = adder(app);
    runners.emplace_back(app.get_subcommands({})[before], std::move(r));
  };
  add(add_verify_command);
  add(add_sign_command);
  add(add_package_command);
  add(add_key_command);
  add(add_trust_command);
  add(add_audit_command);
  add(add_verify_repo_command);
  add(add_helm_command);
  add(add_serve_command);
  add(add_mirror_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "chartprov: %s\nRun 'chartprov --help' for usage.\n", e.what());
    return kExitError;
  }
  for (auto& [cmd, runner] : runners) {
    if (cmd->parsed()) {
      try {
        return runner();
      } catch (const std::exception& e) {
        // Last line of defence: an unexpected exception is a deny, not a crash.
        std::fprintf(stderr, "chartprov: internal error: %s\n", e.what());
        return kExitError;
      }
    }
  }
  return kExitError;
}

}  // namespace chartprov::cli
