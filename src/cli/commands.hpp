#pragma once
// Each subcommand registers its options on the CLI11 app and returns the
// function that runs it. Runners return the process exit code.
#include <functional>

namespace CLI {
class App;
}

namespace chartprov::cli {

using Runner = std::function<int()>;

Runner add_verify_command(CLI::App& app);
Runner add_sign_command(CLI::App& app);
Runner add_package_command(CLI::App& app);
Runner add_key_command(CLI::App& app);
Runner add_trust_command(CLI::App& app);
Runner add_audit_command(CLI::App& app);
Runner add_verify_repo_command(CLI::App& app);
Runner add_helm_command(CLI::App& app);
Runner add_serve_command(CLI::App& app);
Runner add_mirror_command(CLI::App& app);

}  // namespace chartprov::cli
