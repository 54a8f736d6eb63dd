// The .prov text path: cleartext framing, then the message block, then the
// signature packets — everything verify parses from an untrusted .prov. And
// what parses, re-written with write_cleartext, parses back to the same text
// and the signed bytes signed_text_for promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "openpgp/signature.hpp"

namespace prov = chartprov::envelope::prov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)prov::parse_message_block(text);
  const auto ct = prov::parse_cleartext(text);
  if (!ct.ok()) return 0;
  (void)prov::parse_message_block(ct->plaintext);
  (void)chartprov::openpgp::parse_signatures(ct->signature_packets);

  const std::string again = ct->plaintext + "\n";
  const auto want = prov::signed_text_for(again);
  if (!want.ok() || ct->signature_packets.empty()) return 0;
  const auto back = prov::parse_cleartext(prov::write_cleartext(again, "SHA512", ct->signature_packets));
  if (!back.ok() || back->plaintext != again || back->signed_text != *want ||
      back->signature_packets != ct->signature_packets) {
    std::abort();
  }
  return 0;
}
