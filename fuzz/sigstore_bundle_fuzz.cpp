// libFuzzer target for Sigstore bundles and trusted roots (the strict
// protojson-style readers) and for verification of whatever parses, against
// a fixed key and the empty artifact, key-only and with an empty root.
// fuzz-seeds: *.sigstore.json *.json
#include <cstddef>
#include <cstdint>

#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/trusted_root.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::PKey key = std::move(crypto::generate_key("ecdsa-p256").value());
  static const sigstore::TrustedRoot empty_root;
  const std::string_view text = as_chars(ByteView(data, size));
  (void)sigstore::parse_trusted_root(text);
  if (auto b = sigstore::parse_bundle(text); b.ok()) {
    (void)app::verify_bundle(ByteView(), text, key, nullptr);
    (void)app::verify_bundle(ByteView(), text, key, &empty_root);
    (void)app::verify_bundle_for_digest(std::string(64, 'a'), text, key, &empty_root);
  }
  return 0;
}
