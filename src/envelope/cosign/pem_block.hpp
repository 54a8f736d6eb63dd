#pragma once
// One PEM block as Go's encoding/pem reads it (what cosign uses): text before
// the BEGIN line (which starts a line) is skipped, CRLF line ends are fine,
// RFC 1421 "Key: Value" header lines are skipped, the END label must match,
// the body is base64 as Go decodes it (spaces, tabs, CR, LF ignored; unused
// trailing bits too). A block that does not decode is passed over for the next.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::cosign {

struct PemBlock {
  std::string label;
  Bytes der;
};

// The first block in text.
Result<PemBlock> read_pem_block(std::string_view text);
// Every block in text, in order (a certificate chain file): text before,
// between and after the blocks is skipped, as repeated pem.Decode calls skip
// it. Unlike read_pem_block, a broken block is an error, not passed over (a
// chain must not lose a certificate silently). Refusals (input errors): no
// block ("no PEM block (no '-----BEGIN' line)"); a broken block
// (read_pem_block's messages); more than max_blocks ("more than N PEM blocks").
Result<std::vector<PemBlock>> read_pem_blocks(std::string_view text, std::size_t max_blocks);
// 64-column base64 lines, trailing newline.
std::string write_pem_block(std::string_view label, ByteView der);

}  // namespace chartprov::cosign
