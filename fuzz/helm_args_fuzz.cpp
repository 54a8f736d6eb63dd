// libFuzzer target for the deploy gate's split of a helm command line
// (app/helm_args). The input is the argument list, NUL-separated.
// Invariants for an accepted split: helm's arguments are the input's, in
// order, minus the gate's flags and their values; the CHART is one of them;
// replacing it changes that one argument only; dropping --version removes
// exactly the recorded tokens. Seeds: fuzz/corpus/helm_args/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/gate/helm_args.hpp"
#include "fuzz_check.hpp"

using chartprov::fuzz::check;

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  std::vector<std::string> args(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.emplace_back();
    } else {
      args.back().push_back(static_cast<char>(data[i]));
    }
  }
  static const std::vector<app::GateFlag> gate{{"env", true}, {"keyring", true}, {"json", false}};
  const auto r = app::split_helm_args(args, gate);
  if (!r.ok()) return 0;
  const app::HelmArgs& a = *r;
  check(a.helm_args.size() + a.gate_args.size() <= args.size());
  // helm's arguments are a subsequence of the input.
  std::size_t k = 0;
  for (const auto& h : a.helm_args) {
    while (k < args.size() && args[k] != h) ++k;
    check(k < args.size());
    ++k;
  }
  for (const auto& g : a.gate_args)
    check(g.rfind("--env", 0) == 0 || g.rfind("--keyring", 0) == 0 || g.rfind("--json", 0) == 0);
  if (a.help) return 0;
  check(!a.helm_args.empty() && a.helm_args[0] == a.command);  // no helm flag before the command
  if (a.command == "rollback") {                               // nothing to verify: always refused in enforce mode
    check(!a.release.empty() && !app::ungatable_reasons(a, app::classify_chart(a.chart)).empty());
    return 0;
  }
  check(a.command == "install" || a.command == "upgrade" || a.command == "template");
  check(a.chart_index < a.helm_args.size() && a.helm_args[a.chart_index] == a.chart);
  const std::string marker(1, '\x01');
  const auto replaced = app::helm_argv_with_chart(a, marker, false);
  check(replaced.size() == a.helm_args.size());
  for (std::size_t i = 0; i < replaced.size(); ++i)
    check(i == a.chart_index ? replaced[i] == marker : replaced[i] == a.helm_args[i]);
  const auto dropped = app::helm_argv_with_chart(a, marker, true);
  check(dropped.size() + a.version_tokens.size() == a.helm_args.size());
  (void)app::classify_chart(a.chart);
  return 0;
}
