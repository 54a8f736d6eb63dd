#include "openpgp/packet.hpp"

#include <string>

#include "openpgp/byte_reader.hpp"

namespace chartprov::openpgp {

Result<Packet> read_packet(ByteView data) {
  ByteReader in(data);
  std::uint8_t ctb = 0;
  if (!in.u8(ctb)) return input_error("truncated OpenPGP packet header");
  if ((ctb & 0x80) == 0) return input_error("not an OpenPGP packet (tag byte without its high bit)");
  Packet p;
  std::size_t length = 0;
  if ((ctb & 0x40) != 0) {
    p.new_format = true;
    p.tag = ctb & 0x3f;
    std::uint8_t first = 0;
    if (!in.u8(first)) return input_error("truncated OpenPGP packet header");
    if (first < 192) {
      length = first;
    } else if (first < 224) {
      std::uint8_t second = 0;
      if (!in.u8(second)) return input_error("truncated OpenPGP packet header");
      length = ((std::size_t{first} - 192) << 8) + second + 192;
    } else if (first == 255) {
      std::uint32_t l = 0;
      if (!in.u32(l)) return input_error("truncated OpenPGP packet header");
      length = l;
    } else {
      return input_error("OpenPGP packet (tag " + std::to_string(p.tag) +
                         ") with a partial body length, which only data packets may use");
    }
  } else {
    p.tag = (ctb >> 2) & 0x0f;
    switch (ctb & 0x03) {
      case 0: {
        std::uint8_t l = 0;
        if (!in.u8(l)) return input_error("truncated OpenPGP packet header");
        length = l;
        break;
      }
      case 1: {
        std::uint16_t l = 0;
        if (!in.u16(l)) return input_error("truncated OpenPGP packet header");
        length = l;
        break;
      }
      case 2: {
        std::uint32_t l = 0;
        if (!in.u32(l)) return input_error("truncated OpenPGP packet header");
        length = l;
        break;
      }
      default: return input_error("OpenPGP packet (tag " + std::to_string(p.tag) + ") with an indeterminate length");
    }
  }
  if (p.tag == 0) return input_error("OpenPGP packet with the reserved tag 0");
  if (!in.take(length, p.body)) {
    return input_error("truncated OpenPGP packet (tag " + std::to_string(p.tag) + "): length " +
                       std::to_string(length) + " but " + std::to_string(in.remaining()) + " bytes left");
  }
  p.whole = in.consumed();
  return p;
}

Result<std::vector<Packet>> read_packets(ByteView data) {
  std::vector<Packet> out;
  while (!data.empty()) {
    TRY(Packet p, read_packet(data));
    data = data.subspan(p.whole.size());
    out.push_back(p);
  }
  return out;
}

void append_packet_header(Bytes& out, std::uint8_t tag, std::size_t body_length) {
  out.push_back(static_cast<std::uint8_t>(0xc0 | (tag & 0x3f)));
  if (body_length < 192) {
    out.push_back(static_cast<std::uint8_t>(body_length));
  } else if (body_length < 8384) {
    const std::size_t v = body_length - 192;
    out.push_back(static_cast<std::uint8_t>((v >> 8) + 192));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
  } else {
    out.push_back(0xff);
    append_u32(out, static_cast<std::uint32_t>(body_length));
  }
}

Bytes make_packet(std::uint8_t tag, ByteView body) {
  Bytes out;
  out.reserve(body.size() + 6);
  append_packet_header(out, tag, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace chartprov::openpgp
