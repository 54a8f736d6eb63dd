#pragma once
// The log's side of C2SP tlog-witness: after it signs a checkpoint, the log
// asks each configured witness to cosign it, with a consistency proof from
// the size that witness last cosigned, and appends the cosignatures it gets
// to the checkpoint it publishes. Every answer is checked again here: a line
// is kept only when it verifies with that witness's key over this checkpoint
// (tlog::cosigned_at). A witness that refuses or cannot be reached costs
// only its cosignature; verifiers' policies decide how many they need.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tlog/proofs.hpp"
#include "tlog/vkey.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

struct WitnessEndpoint {
  std::string url;                                // its submission prefix: POST <url>/add-checkpoint
  std::shared_ptr<const tlog::VerifierKey> vkey;  // its cosignature key (type 0x04); shared, so endpoints copy
};

struct Cosignatures {
  std::string lines;                  // verified signature lines, to append to the note
  std::vector<std::string> failures;  // one line per witness that did not cosign, and why
  std::vector<std::string> failed;    // the name of each witness that did not cosign
};

// `note`: the log's signed checkpoint. `nodes`: the log's tree (at least the
// checkpoint's size). `known`: by witness URL, the size each last cosigned
// (0 when never; updated here). A witness that answers 409 with another size
// is asked once more from that size.
Cosignatures request_cosignatures(const std::vector<WitnessEndpoint>& witnesses, std::string_view note,
                                  const tlog::NodeSource& nodes, std::map<std::string, std::uint64_t>& known,
                                  int timeout_ms = 5000);

// "URL=VKEY": a witness as `log serve --witness` names it. Refusals (usage
// errors): no '=', a URL that is not http(s)://, a vkey parse_vkey refuses or
// one of another type than 0x04.
Result<WitnessEndpoint> parse_witness_endpoint(std::string_view text);

}  // namespace chartprov::app::log
