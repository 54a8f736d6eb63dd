// libFuzzer target for what `verify --key` reads besides the key file: a
// .sig (base64 as Go decodes it, CR/LF anywhere, else raw DER) checked
// against fixed P-256 and RSA keys, and PEM public keys (cosign's label
// rules). Invariants: a .sig that decodes as base64 re-encodes to base64 that
// decodes to the same bytes; nothing random verifies; a public key that
// parses round-trips through our writer.
// fuzz-seeds: *.sig *.sig.der *.pub
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/sign/blob_signer.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/cosign/key_file.hpp"

using namespace chartprov;

namespace {

// tests/data/cosign/generated/keys/chartprov-p256.pub
constexpr const char* kP256 =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErpUO9GIH4MFY4xs38lmUVBBsWnro\n"
    "q5C4YiKsZQiWm1lrZTIiqJ7yvqOgYJV5Ls8PzVhnc0PRQ9dTkLfsI2KPTg==\n"
    "-----END PUBLIC KEY-----\n";

const crypto::PKey& p256() {
  static const crypto::PKey key = [] {
    auto k = cosign::read_cosign_public_key(kP256);
    if (!k.ok()) std::abort();
    return std::move(*k);
  }();
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);
  const Bytes sig = app::decode_blob_signature(in);
  if (sig.size() != size || !std::equal(sig.begin(), sig.end(), in.begin())) {
    // It was base64: our writer's form must read back to the same bytes.
    const std::string again = app::encode_blob_signature(sig);
    if (app::decode_blob_signature(as_bytes(again)) != sig) std::abort();
  }
  static const std::string kMessage = "chart bytes";
  if (app::verify_blob(p256(), as_bytes(kMessage), sig)) std::abort();  // no forgery from noise

  const std::string_view text = as_chars(in);
  if (auto key = cosign::read_cosign_public_key(text); key.ok()) {
    auto pem = cosign::write_cosign_public_key(*key);
    if (!pem.ok()) std::abort();
    auto back = cosign::read_cosign_public_key(*pem);
    if (!back.ok() || *crypto::spki_der(*back) != *crypto::spki_der(*key)) std::abort();
    (void)app::verify_blob(*key, as_bytes(kMessage), sig);
  }
  return 0;
}
