#pragma once
// OpenPGP packet framing (RFC 9580 §4.2): old- and new-format headers.
// Only definite lengths are accepted: partial lengths are legal only for
// data packets, which this codec never reads, and indeterminate (old-format
// type 3) lengths cannot be bounded.
#include <cstdint>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

enum class PacketTag : std::uint8_t {
  kSignature = 2,
  kSecretKey = 5,
  kPublicKey = 6,
  kSecretSubkey = 7,
  kMarker = 10,
  kTrust = 12,
  kUserId = 13,
  kPublicSubkey = 14,
  kUserAttribute = 17,
};

struct Packet {
  std::uint8_t tag = 0;
  bool new_format = false;
  ByteView body;   // view into the input
  ByteView whole;  // header and body
};

// Reads the packet at the start of data (trailing bytes are left for the
// next call: whole.size() says how far to advance).
Result<Packet> read_packet(ByteView data);

// Splits data into packets; any framing error fails the whole sequence.
Result<std::vector<Packet>> read_packets(ByteView data);

// A new-format header (0xC0 | tag) with the shortest definite length.
void append_packet_header(Bytes& out, std::uint8_t tag, std::size_t body_length);
Bytes make_packet(std::uint8_t tag, ByteView body);

}  // namespace chartprov::openpgp
