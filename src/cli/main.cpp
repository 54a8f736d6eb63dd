#include "cli/main.hpp"

#include <cstdio>

#include "infra/openssl/digest.hpp"
#include "util/version.hpp"

namespace chartprov::cli {

int run(int argc, char** /*argv*/) {
  crypto::init_openssl();
  if (argc > 1) std::fprintf(stderr, "chartprov %s: command not implemented yet\n", kVersion);
  return 2;
}

}  // namespace chartprov::cli
