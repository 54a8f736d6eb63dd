// chartprov-rnp: the helper that keeps librnp out of the chartprov hot path.
// Internal protocol (tools/rnp/PROTOCOL.md): JSON on stdout, one error line
// on stderr and exit 2 on failure.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "infra/openssl/digest.hpp"
#include "util/secure.hpp"
#include "util/writeall.hpp"

namespace {

constexpr std::size_t kMaxRequest = 16u << 20;

// RNP prints its own diagnostics on stderr whatever the ffi's log fd says;
// the caller shows our stderr to users, so it must carry only our one line.
// Returns a descriptor for that line.
int quiet_stderr() {
  const int report = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) {
    ::dup2(null, 2);
    ::close(null);
  }
  return report >= 0 ? report : 2;
}

void report_error(int fd, std::string message) {
  for (auto& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  message += '\n';
  (void)chartprov::writeall(fd, message);  // nothing is left to report a failure to
}

chartprov::Result<std::string> read_stdin() {
  std::string in;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    if (in.size() + n > kMaxRequest) {
      chartprov::secure_wipe(in.data(), in.size());
      return chartprov::usage_error("request larger than 16 MiB");
    }
    in.append(buf, n);
  }
  chartprov::secure_wipe(buf, sizeof buf);
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const int report = quiet_stderr();
  chartprov::crypto::init_openssl();
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "verify-cleartext" && argc == 4) {
    // Not JSON: one verdict line; exit 0 good, 1 bad, 2 cannot tell.
    chartprov::Result<std::string> verdict = chartprov::internal_error("not run");
    try {
      verdict = chartprov::rnpbridge::verify_cleartext(argv[2], argv[3]);
    } catch (const std::exception& e) {
      verdict = chartprov::internal_error(std::string("internal error: ") + e.what());
    }
    if (!verdict.ok()) {
      report_error(report, verdict.error().message);
      return 2;
    }
    std::printf("%s\n", verdict->c_str());
    if (std::fflush(stdout) != 0) return 2;
    return verdict->rfind("good ", 0) == 0 ? 0 : 1;
  }
  chartprov::Result<nlohmann::json> result = chartprov::usage_error(
      "usage: chartprov-rnp keyring PATH | sign < request.json | verify-cleartext KEYRING PROVFILE");
  std::string answer;
  try {
    if (cmd == "keyring" && argc == 3) {
      result = chartprov::rnpbridge::dump_keyring(argv[2]);
    } else if (cmd == "sign" && argc == 2) {
      auto request = read_stdin();
      if (!request.ok()) {
        result = request.error();
      } else {
        result = chartprov::rnpbridge::sign_request(*request);
        chartprov::secure_wipe(request->data(), request->size());
      }
    }
    // User IDs are UTF-8 by the standard but not always in practice: a
    // stray byte becomes U+FFFD rather than an exception.
    if (result.ok()) answer = result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    result = chartprov::internal_error(std::string("internal error: ") + e.what());
  }
  if (!result.ok()) {
    report_error(report, result.error().message);
    return 2;
  }
  answer.push_back('\n');
  const bool written = std::fwrite(answer.data(), 1, answer.size(), stdout) == answer.size();
  return written && std::fflush(stdout) == 0 ? 0 : 2;
}
