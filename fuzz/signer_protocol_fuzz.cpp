// libFuzzer target for what external signers send back: exec plugin and
// chartprov-pkcs11 answers, and PKCS#11 URIs. Nothing here may crash, and a
// redacted URI never shows a PIN that the URI carried.
// fuzz-seeds: *.pem
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "signer/exec_signer.hpp"
#include "signer/pkcs11_uri.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  (void)signer::parse_public_key_answer(text);
  (void)signer::parse_signature_answer(text);
  if (auto uri = signer::parse_pkcs11_uri(text); uri.ok() && uri->pin_value.size() >= 4) {
    const std::string redacted = signer::redact_pkcs11_uri(text);
    if (redacted.find("pin-value=" + uri->pin_value.str()) != std::string::npos && uri->pin_value.str() != "REDACTED") {
      std::abort();
    }
  }
  return 0;
}
