// libFuzzer target for transparency-log material: checkpoints (signed
// notes) and Rekor entry bodies of every kind read (Rekor v1 hashedrekord,
// dsse, intoto; Rekor v2 hashedrekord, dsse), checked against a key and
// against a certificate, plus inclusion proofs built from the input. Nothing
// may crash; a body never matches an expectation that names no key; a proof
// of a single-leaf tree verifies only its own leaf.
// fuzz-seeds: *.sigstore.json *.sigstore
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/rekor_entry.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);
  static const crypto::PKey key = std::move(crypto::generate_key("ecdsa-p256").value());
  static const Bytes spki = crypto::spki_der(key).value();
  if (auto cp = tlog::parse_checkpoint(as_chars(in)); cp.ok()) (void)tlog::checkpoint_signed_by(*cp, key);
  tlog::ExpectedEntry e;
  e.signature = Bytes(in.begin(), in.end());
  e.sha256_hex = std::string(64, '0');
  e.payload_sha256_hex = std::string(64, '0');
  e.signed_digest = tlog::SignedDigest{"SHA2_256", Bytes(32, 0)};
  e.key_details = "PKIX_ECDSA_P256_SHA_256";
  constexpr std::pair<const char*, const char*> kKinds[] = {
      {"hashedrekord", "0.0.1"}, {"dsse", "0.0.1"}, {"intoto", "0.0.2"}, {"hashedrekord", "0.0.2"}, {"dsse", "0.0.2"}};
  for (const auto& [kind, version] : kKinds) {
    auto by_key = e;
    by_key.spki = spki;
    (void)tlog::check_entry_body(in, kind, version, by_key);
    auto by_certificate = e;
    by_certificate.certificate_der = Bytes(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(size / 2));
    (void)tlog::check_entry_body(in, kind, version, by_certificate);
    fuzz::check(!tlog::check_entry_body(in, kind, version, e).ok());
  }
  const Bytes leaf = tlog::leaf_hash(in);
  std::vector<Bytes> proof;
  for (std::size_t i = 0; i + 32 <= size && proof.size() < 8; i += 32)
    proof.emplace_back(in.begin() + i, in.begin() + i + 32);
  (void)tlog::verify_inclusion(size % 7, 7, leaf, proof, leaf);
  fuzz::check(tlog::verify_inclusion(0, 1, leaf, {}, leaf));
  return 0;
}
