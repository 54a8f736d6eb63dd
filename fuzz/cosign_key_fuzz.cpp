// libFuzzer target for cosign key files: the encrypted private key (PEM +
// JSON + scrypt parameters, checked before any KDF work; the empty password
// is tried, so inputs made for it decrypt) and PEM public keys. Invariant: a
// public key that parses is written and parses back to the same key.
// fuzz-seeds: *.key *.pub
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/cosign/key_file.hpp"
#include "infra/openssl/pkey.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  static const SecretString kEmpty("");
  (void)cosign::read_cosign_private_key(text, kEmpty);
  if (auto key = cosign::read_cosign_public_key(text); key.ok()) {
    auto pem = cosign::write_cosign_public_key(*key);
    if (!pem.ok()) std::abort();
    auto again = cosign::read_cosign_public_key(*pem);
    if (!again.ok() || *crypto::spki_der(*again) != *crypto::spki_der(*key)) std::abort();
  }
  return 0;
}
