// libFuzzer target for Sigstore trusted roots (trusted_root.json): the
// strict reader must never crash, and whatever it accepts has usable logs
// (each found by its log id, with a key of its keyDetails' type and an SPKI),
// CT logs found by theirs, CA and TSA chains with at least one non-empty
// certificate, and validity windows that do not end before they start.
// fuzz-seeds: trusted_root*.json *.trusted_root.json public-key-validity.json
#include <cstddef>
#include <cstdint>

#include "envelope/sigstore/trusted_root.hpp"
#include "fuzz_check.hpp"

using namespace chartprov;

namespace {

void check_valid_for(const sigstore::ValidFor& v) { fuzz::check(!v.end || *v.end >= v.start); }

void check_log(const sigstore::TransparencyLog& log) {
  fuzz::check(static_cast<bool>(log.key) && !log.spki.empty() && !log.log_id.empty());
  fuzz::check(log.origin.empty() == log.base_url.empty());
  check_valid_for(log.valid);
}

void check_chain(const std::vector<Bytes>& chain, const sigstore::ValidFor& valid) {
  fuzz::check(!chain.empty());
  for (const auto& c : chain) fuzz::check(!c.empty());
  check_valid_for(valid);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto root = sigstore::parse_trusted_root(as_chars(ByteView(data, size)));
  if (!root.ok()) return 0;
  for (const auto& log : root->tlogs) {
    check_log(log);
    fuzz::check(root->find_log(log.log_id) != nullptr);
  }
  for (const auto& log : root->ctlogs) {
    check_log(log);
    fuzz::check(root->find_ct_log(log.log_id) != nullptr);
  }
  for (const auto& ca : root->certificate_authorities) check_chain(ca.chain, ca.valid);
  for (const auto& tsa : root->timestamp_authorities) check_chain(tsa.chain, tsa.valid);
  return 0;
}
