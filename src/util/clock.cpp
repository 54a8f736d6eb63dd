#include "util/clock.hpp"

#include <ctime>

namespace chartprov {

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace chartprov
