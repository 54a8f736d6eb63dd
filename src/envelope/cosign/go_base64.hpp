#pragma once
// Go's base64.StdEncoding decoder, which cosign uses for .sig files and Go's
// PEM reader for block bodies: CR and LF skipped anywhere, '=' padding
// required, any other stray byte an error, unused bits of the last quantum
// ignored (Go is not Strict() there; util's base64_decode is).
#include <optional>

#include "util/bytes.hpp"

namespace chartprov::cosign {

std::optional<Bytes> go_std_base64_decode(ByteView in);

}  // namespace chartprov::cosign
