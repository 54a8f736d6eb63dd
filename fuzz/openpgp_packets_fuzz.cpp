// libFuzzer target for the OpenPGP binary codec: signature packets, public
// key packets and secret key packets, and checking signatures against keys.
// Invariants: whatever parses re-parses identically from its own bytes, and
// a signer built from a secret key packet makes signatures that verify.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz_check.hpp"
#include "openpgp/key.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/secret_key.hpp"
#include "openpgp/signature.hpp"
#include "openpgp/signer.hpp"

using chartprov::fuzz::check;

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

void fuzz_signatures(ByteView in) {
  auto sigs = parse_signatures(in);
  if (!sigs.ok()) return;
  for (const Signature& sig : *sigs) {
    auto again = parse_signatures(sig.packet);
    check(again.ok() && again->size() == 1);
    const Signature& b = again->front();
    check(b.version == sig.version && b.type == sig.type && b.hashed_area == sig.hashed_area &&
          b.signature_data == sig.signature_data && b.created == sig.created && b.issuer_key_id == sig.issuer_key_id &&
          b.issuer_fingerprint == sig.issuer_fingerprint && b.has_unknown_critical == sig.has_unknown_critical);
  }
}

void fuzz_public_key(ByteView in, bool allow_trailing) {
  auto key = parse_public_key(in, allow_trailing);
  if (!key.ok()) return;
  auto again = parse_public_key(key->body);
  check(again.ok() && again->fingerprint == key->fingerprint && again->key_id == key->key_id);
  (void)algorithm_label(*key);
  (void)to_openssl_public_key(*key);
}

void fuzz_secret_key(ByteView in) {
  auto signer = signer_from_secret_key_packet(in);
  if (!signer.ok()) return;
  static const std::uint8_t kData[] = {'f', 'u', 'z', 'z'};
  SignOptions opts;
  opts.created = (*signer)->public_key().created;
  // make_signature_packet verifies its own output; it may refuse for policy
  // reasons (hash too short for the key), never crash.
  (void)make_signature_packet(**signer, opts, kData);
}

// Every signature in the input against every key in it (bounded).
void fuzz_verify(ByteView in) {
  auto packets = read_packets(in);
  if (!packets.ok() || packets->size() > 16) return;
  std::vector<PublicKey> keys;
  std::vector<Signature> sigs;
  for (const Packet& p : *packets) {
    if (p.tag == 6 || p.tag == 14) {
      if (auto k = parse_public_key(p.body); k.ok()) keys.push_back(std::move(k).value());
    } else if (p.tag == 2) {
      if (auto s = parse_signatures(p.whole); s.ok()) sigs.push_back(std::move(s->front()));
    }
  }
  static const std::uint8_t kData[] = {'d', 'a', 't', 'a'};
  for (const Signature& s : sigs) {
    for (const PublicKey& k : keys) (void)verify_signature(s, k, kData);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView in(data, size);
  fuzz_signatures(in);
  fuzz_public_key(in, false);
  fuzz_public_key(in, true);
  fuzz_secret_key(in);
  fuzz_verify(in);
  return 0;
}
