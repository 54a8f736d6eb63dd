#pragma once
// A size cap as people read it, for the one message that states it
// ("larger than 1 MiB"): the text is derived from the cap's constant, so a
// message cannot drift from the limit it reports.
#include <cstdint>
#include <string>

namespace chartprov {

// "N MiB" when n is a whole number of MiB, else "N KiB" when a whole number
// of KiB, else "N bytes". Never fails.
std::string byte_size_text(std::uint64_t n);

}  // namespace chartprov
