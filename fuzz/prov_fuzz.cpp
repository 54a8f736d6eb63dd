// The .prov text path: cleartext framing, then the message block, then the
// signature packets — everything verify parses from an untrusted .prov.
// Invariants:
//  - what parses, re-written with write_cleartext, parses back to the same
//    text, packets, and the signed bytes signed_text_for promises;
//  - the input taken as a Chart.yaml: whatever build_message_block accepts,
//    parse_message_block reads back (same name, version and digest) and the
//    cleartext writer carries unchanged.
// fuzz-seeds: *.prov Chart.yaml
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "fuzz_check.hpp"
#include "openpgp/signature.hpp"

using chartprov::fuzz::check;

namespace prov = chartprov::envelope::prov;

namespace {

void rewrite_round_trip(const prov::Cleartext& ct) {
  const std::string again = ct.plaintext + "\n";
  const auto want = prov::signed_text_for(again);
  if (!want.ok() || ct.signature_packets.empty()) return;
  const auto back = prov::parse_cleartext(prov::write_cleartext(again, "SHA512", ct.signature_packets));
  check(back.ok() && back->plaintext == again && back->signed_text == *want &&
        back->signature_packets == ct.signature_packets && back->hash_headers.size() == 1);
}

void build_round_trip(std::string_view chart_yaml) {
  const std::string digest(64, 'c');
  const auto block = prov::build_message_block(chart_yaml, "x-1.0.0.tgz", digest);
  if (!block.ok()) return;
  const auto parsed = prov::parse_message_block(*block);
  check(parsed.ok() && parsed->files.size() == 1 && parsed->files[0].name == "x-1.0.0.tgz" &&
        parsed->files[0].hex == digest);
  check(prov::signed_text_for(*block).ok());
  const auto ct = prov::parse_cleartext(prov::write_cleartext(*block, "SHA512", chartprov::Bytes{0xc2, 0x00}));
  check(ct.ok() && ct->plaintext == *block);
  const auto again = prov::parse_message_block(ct->plaintext);
  check(again.ok() && again->metadata.name == parsed->metadata.name &&
        again->metadata.version == parsed->metadata.version);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)prov::parse_message_block(text);
  build_round_trip(text);
  const auto ct = prov::parse_cleartext(text);
  if (!ct.ok()) return 0;
  (void)prov::parse_message_block(ct->plaintext);
  (void)chartprov::openpgp::parse_signatures(ct->signature_packets);
  rewrite_round_trip(*ct);
  return 0;
}
