#pragma once
// One PEM block as Go's encoding/pem reads it (what cosign uses): text before
// the BEGIN line (which starts a line) is skipped, CRLF line ends are fine,
// RFC 1421 "Key: Value" header lines are skipped, the END label must match,
// the body is base64 as Go decodes it (spaces, tabs, CR, LF ignored; unused
// trailing bits too). A block that does not decode is passed over for the next.
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::cosign {

struct PemBlock {
  std::string label;
  Bytes der;
};

// The first block in text.
Result<PemBlock> read_pem_block(std::string_view text);
// 64-column base64 lines, trailing newline.
std::string write_pem_block(std::string_view label, ByteView der);

}  // namespace chartprov::cosign
