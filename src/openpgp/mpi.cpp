#include "openpgp/mpi.hpp"

#include <string>

namespace chartprov::openpgp {

Result<ByteView> read_mpi(ByteReader& in, const char* what) {
  std::uint16_t bits = 0;
  if (!in.u16(bits)) return input_error(std::string("truncated MPI (") + what + ")");
  const std::size_t octets = (std::size_t{bits} + 7) / 8;
  ByteView value;
  if (!in.take(octets, value)) {
    return input_error(std::string("MPI (") + what + ") of " + std::to_string(bits) +
                       " bits runs past the end of the packet");
  }
  return value;
}

ByteView strip_leading_zeros(ByteView value) {
  std::size_t i = 0;
  while (i < value.size() && value[i] == 0) ++i;
  return value.subspan(i);
}

unsigned bit_length(ByteView value) {
  const ByteView v = strip_leading_zeros(value);
  if (v.empty()) return 0;
  unsigned top = 0;
  for (std::uint8_t b = v[0]; b != 0; b >>= 1) ++top;
  return static_cast<unsigned>((v.size() - 1) * 8) + top;
}

void append_mpi(Bytes& out, ByteView value) {
  const ByteView v = strip_leading_zeros(value);
  append_u16(out, bit_length(v));
  out.insert(out.end(), v.begin(), v.end());
}

Bytes left_pad(ByteView value, std::size_t width) {
  const ByteView v = strip_leading_zeros(value);
  if (v.size() > width) return {};
  Bytes out(width - v.size(), 0);
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace chartprov::openpgp
