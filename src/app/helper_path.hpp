#pragma once
// Where the chartprov-rnp helper lives: $CHARTPROV_RNP, else next to the
// running binary.
#include <string>

#include "util/result.hpp"

namespace chartprov::app {

Result<std::string> rnp_helper_path();

}  // namespace chartprov::app
