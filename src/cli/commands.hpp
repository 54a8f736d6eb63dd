#pragma once
// Each subcommand registers its options on the CLI11 app and returns the
// function that runs it. Runners return the process exit code.
#include <functional>

namespace CLI {
class App;
}

namespace chartprov::cli {

class ArgvNames;
using Runner = std::function<int()>;

// verify builds only the options its command line names (cli/argv_names.hpp): it is the one
// command run once per deployment, where start-up is most of the time.
Runner add_verify_command(CLI::App& app, const ArgvNames& argv);
Runner add_sign_command(CLI::App& app);
Runner add_attest_command(CLI::App& app);
Runner add_package_command(CLI::App& app);
Runner add_key_command(CLI::App& app);
Runner add_trust_command(CLI::App& app);
Runner add_trusted_root_command(CLI::App& app);
Runner add_audit_command(CLI::App& app);
Runner add_verify_repo_command(CLI::App& app);
Runner add_helm_command(CLI::App& app);
Runner add_serve_command(CLI::App& app);
Runner add_admission_command(CLI::App& app);
Runner add_mirror_command(CLI::App& app);
Runner add_verify_blob_command(CLI::App& app);
Runner add_log_command(CLI::App& app);  // cli/log_command.hpp: its subcommands

}  // namespace chartprov::cli
