// The .prov text path: cleartext framing, then the message block, then the
// signature packets — everything verify parses from an untrusted .prov.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "openpgp/signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ct = chartprov::envelope::prov::parse_cleartext(text);
  if (ct.ok()) {
    (void)chartprov::envelope::prov::parse_message_block(ct->plaintext);
    (void)chartprov::openpgp::parse_signatures(ct->signature_packets);
  }
  (void)chartprov::envelope::prov::parse_message_block(text);
  return 0;
}
