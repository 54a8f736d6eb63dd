// libFuzzer target for verify's option sieve (cli/argv_names.hpp): the verify command built from
// the names on its command line must parse every command line exactly as the command built
// whole: the same error, or the same options with the same values. The input is the argument
// list, NUL-separated; a byte 0x01 at the start of an argument is replaced by a long option
// name of verify, so the fuzzer reaches real options. Seeds: fuzz/corpus/argv_names/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/verify_parse_probe.hpp"

namespace {

const char* const kNames[] = {"--keyring",
                              "--key",
                              "--json",
                              "--signer",
                              "--env",
                              "--trust-dir",
                              "--version",
                              "--plain-http",
                              "--alert-webhook",
                              "--alert-retries",
                              "--alert-timeout",
                              "--webhook",
                              "--help",
                              "--prov",
                              "--no-cache",
                              "--",
                              "-h",
                              "--keyring="};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 512) return 0;
  std::vector<std::string> args(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.emplace_back();
    } else if (data[i] == 1 && args.back().empty() && i + 1 < size) {
      args.back() = kNames[data[++i] % (sizeof kNames / sizeof kNames[0])];
    } else {
      args.back().push_back(static_cast<char>(data[i]));
    }
  }
  if (args.size() > 24) return 0;
  if (chartprov::cli::probe_verify_parse(args, true) != chartprov::cli::probe_verify_parse(args, false)) std::abort();
  return 0;
}
