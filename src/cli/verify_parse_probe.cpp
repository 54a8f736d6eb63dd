#include "cli/verify_parse_probe.hpp"

#include <CLI/CLI.hpp>

#include "cli/argv_names.hpp"
#include "cli/commands.hpp"

namespace chartprov::cli {

std::string probe_verify_parse(const std::vector<std::string>& args, bool sieved) {
  std::vector<const char*> argv{"chartprov", "verify"};
  for (const auto& a : args) argv.push_back(a.c_str());
  const int argc = static_cast<int>(argv.size());
  CLI::App app("probe", "chartprov");
  app.require_subcommand(1);
  const Runner runner = add_verify_command(app, sieved ? ArgvNames(argc, argv.data()) : ArgvNames::all());
  try {
    app.parse(argc, argv.data());
  } catch (const CLI::ParseError& e) {
    return "error " + e.get_name() + ": " + e.what();
  }
  std::string out;
  for (const CLI::Option* o : app.get_subcommand("verify")->get_options()) {
    if (o->count() == 0) continue;
    out += o->get_name() + "=";
    for (const auto& r : o->results()) out += r + "\x1f";
    out += ";";
  }
  return out;
}

}  // namespace chartprov::cli
