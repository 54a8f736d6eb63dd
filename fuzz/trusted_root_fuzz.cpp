// libFuzzer target for Sigstore trusted roots (trusted_root.json): the
// strict reader must never crash, and whatever it accepts has usable logs
// (each found by its log id) and TSA chains with at least one certificate.
// fuzz-seeds: trusted_root*.json public-key-validity.json
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/trusted_root.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto root = sigstore::parse_trusted_root(as_chars(ByteView(data, size)));
  if (!root.ok()) return 0;
  for (const auto& log : root->tlogs) {
    if (root->find_log(log.log_id) == nullptr) std::abort();
  }
  for (const auto& tsa : root->timestamp_authorities) {
    if (tsa.chain.empty()) std::abort();
  }
  return 0;
}
