#pragma once
// The long option names a command line mentions. CLI11 builds each option at ~15k
// instructions (names parsed, checked against every other option): for `verify`, with 25
// options, a tenth of the whole process. A command may build only the options named on its
// command line: the parse is the same, because an option that is not named is never matched,
// and an unknown one is refused either way. Asking for help, or any token with a single leading
// dash (CLI11 reads those by its own rules), builds them all.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chartprov::cli {

class ArgvNames {
 public:
  ArgvNames(int argc, const char* const* argv);
  static ArgvNames all();  // every option wanted (help, or a command built for a listing)

  // True when `name` ("--keyring") is on the command line, or every option is wanted, or
  // `name` is not one long name (short names are not looked for: such options are built).
  bool has(std::string_view name) const;

 private:
  ArgvNames() = default;
  std::vector<std::string_view> names_;
  bool all_ = false;
};

// add_option/add_flag on `cmd` for the options the command line names; nullptr for the
// others (their variables keep their defaults, as an option not given does).
class OptionSieve {
 public:
  OptionSieve(CLI::App* cmd, const ArgvNames& argv) : cmd_(cmd), argv_(argv) {}

  template <typename... A>
  CLI::Option* option(const std::string& name, A&&... args) {
    return argv_.has(name) ? cmd_->add_option(name, std::forward<A>(args)...) : nullptr;
  }
  template <typename... A>
  CLI::Option* flag(const std::string& name, A&&... args) {
    return argv_.has(name) ? cmd_->add_flag(name, std::forward<A>(args)...) : nullptr;
  }
  template <typename T, typename... A>
  CLI::Option* option_function(const std::string& name, A&&... args) {
    return argv_.has(name) ? cmd_->add_option_function<T>(name, std::forward<A>(args)...) : nullptr;
  }
  const ArgvNames& names() const { return argv_; }

 private:
  CLI::App* cmd_;
  const ArgvNames& argv_;
};

}  // namespace chartprov::cli
