#include "openpgp/signer.hpp"

#include <algorithm>

#include "openpgp/byte_reader.hpp"
#include "openpgp/hash_algo.hpp"
#include "openpgp/key_material.hpp"
#include "openpgp/mpi.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/subpackets.hpp"
#include "util/clock.hpp"

namespace chartprov::openpgp {

Bytes rsa_signature_fields(ByteView s) {
  Bytes out;
  append_mpi(out, s);
  return out;
}

Bytes dsa_signature_fields(ByteView r, ByteView s) {
  Bytes out;
  append_mpi(out, r);
  append_mpi(out, s);
  return out;
}

Result<Bytes> eddsa_legacy_signature_fields(ByteView signature) {
  if (signature.size() != 64) return internal_error("Ed25519 signature is not 64 octets");
  return dsa_signature_fields(signature.first(32), signature.subspan(32));
}

namespace {

// GnuPG refuses (DSA, ECDSA) signatures whose hash is shorter than the group
// order, up to 512 bits: "requires a 384 bit or larger hash". Match it, so
// what we sign verifies everywhere.
Status check_hash_fits_key(const PublicKey& key, crypto::DigestAlg alg) {
  unsigned order_bits = 0;
  if (key.algo == PubKeyAlgo::kEcdsa) order_bits = key.bits;
  if (key.algo == PubKeyAlgo::kDsa) {
    TRY(KeyMaterial m, key_material(key));
    order_bits = bit_length(m.mpis[1]);  // q
  }
  const auto digest_bits = static_cast<unsigned>(crypto::digest_size(alg) * 8);
  if (digest_bits < std::min(order_bits, 512u)) {
    return usage_error(algorithm_label(key) + " keys need a hash of at least " +
                       std::to_string(std::min(order_bits, 512u)) + " bits (use SHA512)");
  }
  return ok_status();
}

}  // namespace

Result<Bytes> make_signature_packet(const DigestSigner& signer, const SignOptions& options, ByteView data) {
  const PublicKey& key = signer.public_key();
  if (key.version != 4 || key.fingerprint.size() != 20) return internal_error("signing key is not a v4 key");
  const std::uint32_t created = static_cast<std::uint32_t>(now_or(options.created));
  if (created < key.created) return usage_error("signature time is before the signing key's creation time");

  Bytes hashed;
  Bytes value;
  append_u32(value, created);
  append_subpacket(hashed, subpacket::kCreationTime, value);
  value.assign(1, 4);
  value.insert(value.end(), key.fingerprint.begin(), key.fingerprint.end());
  append_subpacket(hashed, subpacket::kIssuerFingerprint, value);
  value.clear();
  append_u32(value, static_cast<std::uint32_t>(key.key_id >> 32));
  append_u32(value, static_cast<std::uint32_t>(key.key_id & 0xffffffffu));
  append_subpacket(hashed, subpacket::kIssuerKeyId, value);
  return make_signature_packet_with_area(signer, options.type, options.hash, hashed, data);
}

Result<Bytes> make_signature_packet_with_area(const DigestSigner& signer, std::uint8_t type, HashAlgo hash_algo,
                                              ByteView hashed_area, ByteView data) {
  const PublicKey& key = signer.public_key();
  if (key.version != 4 || key.fingerprint.size() != 20) return internal_error("signing key is not a v4 key");
  const auto hash = static_cast<std::uint8_t>(hash_algo);
  const auto alg = digest_alg(hash);
  if (!alg || !hash_acceptable(hash) || hash_algo == HashAlgo::kSha1) {
    return usage_error("refusing to sign with hash algorithm " + hash_header_name(hash));
  }
  TRY_STATUS(check_hash_fits_key(key, *alg));
  if (hashed_area.size() > 0xffff) return internal_error("hashed subpacket area too large");

  const auto pubkey_algo = static_cast<std::uint8_t>(key.algo);
  TRY(crypto::Digest digest_ctx, crypto::Digest::create(*alg));
  digest_ctx.update(data);
  digest_ctx.update(v4_hash_trailer(type, pubkey_algo, hash, hashed_area));
  const Bytes digest = digest_ctx.finish();
  TRY(Bytes fields, signer.sign_digest(hash_algo, digest));

  Bytes body;
  body.reserve(hashed_area.size() + fields.size() + 10);
  body.push_back(4);
  body.push_back(type);
  body.push_back(pubkey_algo);
  body.push_back(hash);
  append_u16(body, static_cast<std::uint32_t>(hashed_area.size()));
  body.insert(body.end(), hashed_area.begin(), hashed_area.end());
  append_u16(body, 0);  // no unhashed subpackets: everything we say is signed
  body.push_back(digest[0]);
  body.push_back(digest[1]);
  body.insert(body.end(), fields.begin(), fields.end());
  Bytes packet = make_packet(static_cast<std::uint8_t>(PacketTag::kSignature), body);

  // Check our own output: catches a signer whose key is not public_key(),
  // a faulty HSM/KMS answer, or an encoding bug, before anyone sees it.
  auto parsed = parse_signatures(packet);
  if (!parsed.ok()) return internal_error("made an unreadable signature: " + parsed.error().message);
  const SignatureCheck check = verify_signature(parsed->front(), key, data);
  if (!check.valid)
    return internal_error("the signer's signature does not verify with its public key: " + check.reason);
  return packet;
}

}  // namespace chartprov::openpgp
