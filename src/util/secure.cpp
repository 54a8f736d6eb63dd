#include "util/secure.hpp"

#include <cstring>

namespace chartprov {

void secure_wipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) explicit_bzero(data, size);
}

}  // namespace chartprov
