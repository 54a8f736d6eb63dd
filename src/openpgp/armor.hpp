#pragma once
// OpenPGP ASCII armor (RFC 4880 §6, RFC 9580 §6).
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

// text must start with "-----BEGIN PGP <LABEL>-----". Armor headers end at a
// whitespace-only line; the CRC-24 line is optional (helm v4 writes none) but
// must match when present; "-----END PGP <LABEL>-----" must follow. LF or CR
// LF line ends; trailing whitespace on lines is tolerated.
Result<Armored> dearmor(std::string_view text);

// 64-column base64, a CRC-24 line and a final newline, no headers: the form
// every OpenPGP implementation accepts.
std::string armor(ByteView data, std::string_view label);

std::uint32_t crc24(ByteView data);

}  // namespace chartprov::openpgp
