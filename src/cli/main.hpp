#pragma once

namespace chartprov::cli {

// Parses the command line, runs the command, prints, and returns the exit
// code: 0 verified/allowed/done, 1 verification failed or denied, 2 usage or
// input error.
int run(int argc, char** argv);

}  // namespace chartprov::cli
