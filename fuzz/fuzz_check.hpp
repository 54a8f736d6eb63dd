#pragma once
// The one assertion of the fuzz targets: an invariant that does not hold
// aborts, which libFuzzer reports as a crash with the input that broke it
// (kept in BUILD/fuzz-artifacts by scripts/run-fuzz-smoke.sh).
#include <cstdlib>

namespace chartprov::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace chartprov::fuzz
