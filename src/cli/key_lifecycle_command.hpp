#pragma once
// `chartprov key rotate|revoke|backup|restore|list`: the key lifecycle
// (docs/KEY-MANAGEMENT.md). Registered under `key` by key_command.cpp.
#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace chartprov::cli {

// The runner answers std::nullopt when none of these subcommands was chosen.
std::function<std::optional<int>()> add_key_lifecycle_commands(CLI::App& key);

}  // namespace chartprov::cli
