// chartprov-rnp: the helper that keeps librnp out of the chartprov hot path.
// Internal protocol (tools/rnp/PROTOCOL.md): JSON on stdout, one error line
// on stderr and exit 2 on failure.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.hpp"
#include "infra/openssl/digest.hpp"
#include "util/secure.hpp"

int main(int argc, char** argv) {
  chartprov::crypto::init_openssl();
  const std::string cmd = argc > 1 ? argv[1] : "";
  chartprov::Result<nlohmann::json> result = chartprov::usage_error("usage: chartprov-rnp keyring PATH | sign < request.json");
  try {
    if (cmd == "keyring" && argc == 3) {
      result = chartprov::rnpbridge::dump_keyring(argv[2]);
    } else if (cmd == "sign" && argc == 2) {
      std::string request;
      char buf[4096];
      std::size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0 && request.size() < (16u << 20)) request.append(buf, n);
      result = chartprov::rnpbridge::sign_request(request);
      chartprov::secure_wipe(request.data(), request.size());
      chartprov::secure_wipe(buf, sizeof buf);
    }
  } catch (const std::exception& e) {
    result = chartprov::internal_error(std::string("internal error: ") + e.what());
  }
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.error().message.c_str());
    return 2;
  }
  std::printf("%s\n", result->dump().c_str());
  return 0;
}
