#include "openpgp/signature.hpp"

#include <algorithm>

#include "infra/openssl/pk_signature.hpp"
#include "openpgp/byte_reader.hpp"
#include "openpgp/hash_algo.hpp"
#include "openpgp/mpi.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/subpackets.hpp"

namespace chartprov::openpgp {
namespace {

// How many MPIs (or native octets) each public-key algorithm's signature has.
struct SigShape {
  int mpis = 0;
  std::size_t native = 0;
};

std::optional<SigShape> signature_shape(std::uint8_t pubkey_algo) {
  switch (pubkey_algo) {
    case 1:
    case 3: return SigShape{1, 0};
    case 17:
    case 19:
    case 22: return SigShape{2, 0};
    case 27: return SigShape{0, 64};
    case 28: return SigShape{0, 114};
    default: return std::nullopt;
  }
}

// Checks that the signature fields have the algorithm's shape and nothing after.
Result<std::vector<ByteView>> read_signature_fields(std::uint8_t pubkey_algo, ByteView data) {
  std::vector<ByteView> out;
  const auto shape = signature_shape(pubkey_algo);
  if (!shape) {
    out.push_back(data);  // unknown algorithm: kept raw, never verified
    return out;
  }
  ByteReader in(data);
  for (int i = 0; i < shape->mpis; ++i) {
    TRY(ByteView v, read_mpi(in, "signature value"));
    out.push_back(v);
  }
  if (shape->native > 0) {
    ByteView v;
    if (!in.take(shape->native, v)) return input_error("truncated native signature value");
    out.push_back(v);
  }
  if (!in.empty()) return input_error("unexpected bytes after the signature value");
  return out;
}

Result<Signature> parse_v4(ByteReader& in, Signature sig) {
  std::uint16_t hashed_len = 0;
  std::uint16_t unhashed_len = 0;
  ByteView hashed;
  ByteView unhashed;
  ByteView prefix;
  if (!in.u8(sig.type) || !in.u8(sig.pubkey_algo) || !in.u8(sig.hash_algo) || !in.u16(hashed_len) ||
      !in.take(hashed_len, hashed) || !in.u16(unhashed_len) || !in.take(unhashed_len, unhashed) ||
      !in.take(2, prefix)) {
    return input_error("truncated signature packet");
  }
  sig.hashed_area.assign(hashed.begin(), hashed.end());
  sig.unhashed_area.assign(unhashed.begin(), unhashed.end());
  sig.hash_prefix[0] = prefix[0];
  sig.hash_prefix[1] = prefix[1];
  TRY_STATUS(decode_subpackets(hashed, true, sig));
  TRY_STATUS(decode_subpackets(unhashed, false, sig));
  const ByteView rest = in.rest();
  TRY_STATUS(read_signature_fields(sig.pubkey_algo, rest));
  sig.signature_data.assign(rest.begin(), rest.end());
  return sig;
}

Result<Signature> parse_v3(ByteReader& in, Signature sig) {
  std::uint8_t hashed_len = 0;
  std::uint32_t created = 0;
  ByteView key_id;
  ByteView prefix;
  if (!in.u8(hashed_len) || hashed_len != 5 || !in.u8(sig.type) || !in.u32(created) || !in.take(8, key_id) ||
      !in.u8(sig.pubkey_algo) || !in.u8(sig.hash_algo) || !in.take(2, prefix)) {
    return input_error("malformed v3 signature packet");
  }
  sig.created = created;
  std::uint64_t id = 0;
  for (const auto b : key_id) id = (id << 8) | b;
  sig.issuer_key_id = id;
  sig.hash_prefix[0] = prefix[0];
  sig.hash_prefix[1] = prefix[1];
  const ByteView rest = in.rest();
  TRY_STATUS(read_signature_fields(sig.pubkey_algo, rest));
  sig.signature_data.assign(rest.begin(), rest.end());
  return sig;
}

Result<Signature> parse_signature_packet(const Packet& p) {
  if (p.tag != static_cast<std::uint8_t>(PacketTag::kSignature)) {
    return input_error("expected a signature packet, found packet tag " + std::to_string(p.tag));
  }
  ByteReader in(p.body);
  Signature sig;
  sig.packet.assign(p.whole.begin(), p.whole.end());
  if (!in.u8(sig.version)) return input_error("empty signature packet");
  if (sig.version == 4) return parse_v4(in, std::move(sig));
  if (sig.version == 3) return parse_v3(in, std::move(sig));
  return input_error("unsupported signature version " + std::to_string(sig.version));
}

bool algorithms_match(std::uint8_t sig_algo, PubKeyAlgo key_algo) {
  const auto k = static_cast<std::uint8_t>(key_algo);
  const bool sig_rsa = sig_algo == 1 || sig_algo == 3;
  const bool key_rsa = k == 1 || k == 3;
  return sig_rsa ? key_rsa : sig_algo == k;
}

const char* algo_name(std::uint8_t algo) {
  switch (algo) {
    case 1:
    case 3: return "RSA";
    case 17: return "DSA";
    case 19: return "ECDSA";
    case 22:
    case 27:
    case 28: return "EdDSA";
    default: return "unknown";
  }
}

SignatureCheck invalid(std::string reason) { return {false, std::move(reason)}; }

}  // namespace

Result<std::vector<Signature>> parse_signatures(ByteView packets) {
  if (packets.empty()) return input_error("no signature packets");
  std::vector<Signature> out;
  while (!packets.empty()) {
    TRY(Packet p, read_packet(packets));
    packets = packets.subspan(p.whole.size());
    TRY(Signature sig, parse_signature_packet(p));
    out.push_back(std::move(sig));
  }
  return out;
}

Bytes v4_hash_trailer(std::uint8_t type, std::uint8_t pubkey_algo, std::uint8_t hash_algo, ByteView hashed_area) {
  Bytes t;
  t.reserve(hashed_area.size() + 12);
  t.push_back(4);
  t.push_back(type);
  t.push_back(pubkey_algo);
  t.push_back(hash_algo);
  append_u16(t, static_cast<std::uint32_t>(hashed_area.size()));
  t.insert(t.end(), hashed_area.begin(), hashed_area.end());
  const auto prefix_len = static_cast<std::uint32_t>(t.size());
  t.push_back(0x04);
  t.push_back(0xff);
  append_u32(t, prefix_len);
  return t;
}

SignatureCheck verify_signature(const Signature& sig, const PublicKey& key, ByteView data,
                                const crypto::PKey* prebuilt) {
  if (sig.version != 4) return invalid("version " + std::to_string(sig.version) + " signatures are not accepted");
  if (!algorithms_match(sig.pubkey_algo, key.algo)) {
    return invalid(std::string(algo_name(sig.pubkey_algo)) + " signature does not match the key's algorithm (" +
                   algorithm_label(key) + ")");
  }
  const auto alg = digest_alg(sig.hash_algo);
  if (!alg) return invalid("unknown hash algorithm " + std::to_string(sig.hash_algo));
  if (!hash_acceptable(sig.hash_algo)) return invalid("unsupported hash algorithm " + hash_header_name(sig.hash_algo));
  if (sig.has_unknown_critical) return invalid("signature has an unknown critical subpacket");
  if (!sig.created) return invalid("signature has no creation time");
  if (!sig.issuer_fingerprint.empty() && sig.issuer_fingerprint != key.fingerprint) {
    return invalid("issuer fingerprint does not match the key");
  }
  if (sig.issuer_key_id && *sig.issuer_key_id != key.key_id) return invalid("issuer key ID does not match the key");

  auto fields = read_signature_fields(sig.pubkey_algo, sig.signature_data);
  if (!fields.ok()) return invalid("malformed signature: " + fields.error().message);

  auto digest_ctx = crypto::Digest::create(*alg);
  if (!digest_ctx.ok()) return invalid(digest_ctx.error().message);
  digest_ctx->update(data);
  digest_ctx->update(v4_hash_trailer(sig.type, sig.pubkey_algo, sig.hash_algo, sig.hashed_area));
  const Bytes digest = digest_ctx->finish();
  if (digest[0] != sig.hash_prefix[0] || digest[1] != sig.hash_prefix[1]) {
    return invalid("digest does not match the signature's hash prefix (the signed data differs)");
  }

  std::optional<Result<crypto::PKey>> built;
  if (prebuilt == nullptr) {
    built.emplace(to_openssl_public_key(key));
    if (!built->ok()) return invalid("unusable public key: " + built->error().message);
  }
  const crypto::PKey* pkey = prebuilt != nullptr ? prebuilt : &built->value();
  const std::vector<ByteView>& v = *fields;
  bool ok = false;
  switch (sig.pubkey_algo) {
    case 1:
    case 3: ok = crypto::verify_rsa_pkcs1(*pkey, *alg, digest, v[0]); break;
    case 17:
    case 19: ok = crypto::verify_dsa_or_ecdsa(*pkey, digest, v[0], v[1]); break;
    case 22: {
      // Legacy EdDSA: R and S as MPIs, which drop leading zero octets.
      const Bytes r = left_pad(v[0], 32);
      const Bytes s = left_pad(v[1], 32);
      if (r.empty() || s.empty()) return invalid("malformed EdDSA signature (R or S longer than 32 octets)");
      Bytes rs(r);
      rs.insert(rs.end(), s.begin(), s.end());
      ok = crypto::verify_eddsa(*pkey, digest, rs);
      break;
    }
    case 27:
    case 28: ok = crypto::verify_eddsa(*pkey, digest, v[0]); break;
    default: return invalid("unsupported public-key algorithm " + std::to_string(sig.pubkey_algo));
  }
  if (!ok) return invalid(std::string(algo_name(sig.pubkey_algo)) + " verification failure");
  return {true, ""};
}

}  // namespace chartprov::openpgp
