// libFuzzer target for the SCT list embedded in a certificate (RFC 6962 3.3):
// the strict reader never crashes, what it accepts holds 1 to kMaxScts v1
// SCTs with 32-byte log ids, and the signed bytes made from each have the
// precert_entry layout (fixed fields + issuer key hash + TBS + extensions).
// Seeds: fuzz/corpus/sct_list (the extension values of the vectors' leaves).
// fuzz-seeds: *.sct-list
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/sct.hpp"
#include "fuzz_check.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto scts = sigstore::parse_sct_list(ByteView(data, size));
  if (!scts.ok()) return 0;
  fuzz::check(!scts->empty() && scts->size() <= sigstore::kMaxScts);
  const Bytes issuer_key_hash(32, 0xab);
  const Bytes tbs{0x30, 0x00};
  for (const sigstore::Sct& sct : *scts) {
    fuzz::check(sct.version == 0 && sct.log_id.size() == 32);
    fuzz::check(sct.extensions.size() < 0x10000 && sct.signature.size() < 0x10000);
    const Bytes signed_data = sigstore::sct_signed_data(sct, issuer_key_hash, tbs);
    fuzz::check(signed_data.size() == 1 + 1 + 8 + 2 + 32 + 3 + tbs.size() + 2 + sct.extensions.size());
  }
  return 0;
}
