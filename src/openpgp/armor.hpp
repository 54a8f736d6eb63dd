#pragma once
// OpenPGP ASCII armor (RFC 4880 §6, RFC 9580 §6).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

struct Armored {
  std::string label;  // "SIGNATURE", "PUBLIC KEY BLOCK", ...
  std::vector<std::pair<std::string, std::string>> headers;
  Bytes data;
};

// text must start with "-----BEGIN PGP <LABEL>-----". Armor headers ("Key:
// Value") end at a whitespace-only line; then base64 lines of at most 96
// characters from the base64 alphabet only; an optional CRC-24 line "=XXXX"
// (helm v4 writes none) that must match when present (a mismatch means
// garbled data); then "-----END PGP <LABEL>-----", final newline optional.
// LF or CR LF line ends; trailing spaces/tabs on any line are tolerated.
// Anything after the END line is ignored (it is not part of the block).
Result<Armored> dearmor(std::string_view text);

// 64-column base64, a CRC-24 line and a final newline, no headers: the form
// every OpenPGP implementation accepts.
std::string armor(ByteView data, std::string_view label);

// CRC-24 of RFC 4880 §6.1 (init 0xB704CE, generator 0x1864CFB).
std::uint32_t crc24(ByteView data);

}  // namespace chartprov::openpgp
