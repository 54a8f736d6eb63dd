#pragma once
// OpenPGP multiprecision integers (RFC 9580 §3.2): a two-octet bit count,
// then ceil(bits / 8) big-endian octets.
#include <cstddef>

#include "openpgp/byte_reader.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

// Reads one MPI and returns its value octets (a view into the input). A bit
// count larger than the value needs (leading zero bits or octets, as Helm 3
// writes) is accepted; a count that runs past the data is an error.
Result<ByteView> read_mpi(ByteReader& in, const char* what);

// Appends value as a minimal MPI (leading zero octets dropped, exact count).
void append_mpi(Bytes& out, ByteView value);

ByteView strip_leading_zeros(ByteView value);
unsigned bit_length(ByteView value);  // of the integer, ignoring leading zeros

// The value left-padded with zeros to exactly width octets; empty if it
// does not fit.
Bytes left_pad(ByteView value, std::size_t width);

}  // namespace chartprov::openpgp
