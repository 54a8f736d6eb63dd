#include "cli/main.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>

#include "cli/argv_names.hpp"
#include "cli/commands.hpp"
#include "cli/log_command.hpp"
#include "cli/output.hpp"
#include "infra/openssl/digest.hpp"
#include "util/version.hpp"

namespace chartprov::cli {

int run(int argc, char** argv) {
  // `chartprov log serve` is the chartprov-log helper's, its arguments verbatim.
  if (is_log_helper_command(argc, argv)) return exec_log_helper(argc, argv);
  crypto::init_openssl();
  CLI::App app("chartprov: sign and verify Helm chart provenance, strictly", "chartprov");
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  std::vector<std::pair<CLI::App*, Runner>> runners;
  using Adder = Runner (*)(CLI::App&, const ArgvNames&);
  const auto add = [&](Adder adder, const ArgvNames& names) {
    const auto before = app.get_subcommands({}).size();
    Runner r = adder(app, names);
    runners.emplace_back(app.get_subcommands({})[before], std::move(r));
  };
  struct Command {
    const char* name;
    Adder adder;
  };
  // Only verify looks at the names; the others build all their options.
  static constexpr Command kCommands[] = {
      {"verify", add_verify_command},
      {"sign", [](CLI::App& a, const ArgvNames&) { return add_sign_command(a); }},
      {"attest", [](CLI::App& a, const ArgvNames&) { return add_attest_command(a); }},
      {"package", [](CLI::App& a, const ArgvNames&) { return add_package_command(a); }},
      {"key", [](CLI::App& a, const ArgvNames&) { return add_key_command(a); }},
      {"trust", [](CLI::App& a, const ArgvNames&) { return add_trust_command(a); }},
      {"trusted-root", [](CLI::App& a, const ArgvNames&) { return add_trusted_root_command(a); }},
      {"audit", [](CLI::App& a, const ArgvNames&) { return add_audit_command(a); }},
      {"verify-repo", [](CLI::App& a, const ArgvNames&) { return add_verify_repo_command(a); }},
      {"helm", [](CLI::App& a, const ArgvNames&) { return add_helm_command(a); }},
      {"serve", [](CLI::App& a, const ArgvNames&) { return add_serve_command(a); }},
      {"admission", [](CLI::App& a, const ArgvNames&) { return add_admission_command(a); }},
      {"mirror", [](CLI::App& a, const ArgvNames&) { return add_mirror_command(a); }},
      {"verify-blob", [](CLI::App& a, const ArgvNames&) { return add_verify_blob_command(a); }},
      {"log", [](CLI::App& a, const ArgvNames&) { return add_log_command(a); }},
  };
  // Only the command asked for builds its options: building all of them was a third of the
  // instructions of one `chartprov verify`. Anything else (--help, --version, a typo) sees all.
  const Command* chosen = nullptr;
  for (const Command& c : kCommands) {
    if (argc > 1 && std::string_view(argv[1]) == c.name) chosen = &c;
  }
  if (chosen != nullptr) {
    add(chosen->adder, ArgvNames(argc, argv));
    if (runners.back().first->get_name() != chosen->name) return kExitError;  // a table out of step with its adder
  } else {
    for (const Command& c : kCommands) add(c.adder, ArgvNames::all());
  }
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
