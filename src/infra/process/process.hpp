#pragma once
// Running a helper program: argv only (never a shell), stdin bytes in,
// stdout/stderr captured with caps, a timeout that kills it.
#include <chrono>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::process {

struct ProcessLimits {
  std::chrono::milliseconds timeout{30000};
  std::size_t max_stdout = 16u << 20;
  std::size_t max_stderr = 64u << 10;
  std::vector<std::string> extra_env;  // "NAME=value", replacing an inherited NAME
  bool inherit_env = true;             // false: the child's environment is extra_env alone
};

struct ProcessResult {
  int exit_code = -1;   // -1 if killed by a signal
  int term_signal = 0;  // the signal that killed it, else 0
  std::string out;
  std::string err;
};

// argv[0] is a path (no PATH search). The child inherits the environment
// (with limits.extra_env applied; only extra_env when !limits.inherit_env)
// but no descriptor beyond 0-2, and starts
// with default signal handling. The caller's SIGPIPE disposition is left
// alone (a child that exits without reading its input cannot kill us).
// Errors: the program cannot be started, times out (killed), or writes
// more than the caps. A non-zero exit is a result, not an error.
Result<ProcessResult> run_process(const std::vector<std::string>& argv, ByteView stdin_data,
                                  const ProcessLimits& limits = {});

}  // namespace chartprov::process
