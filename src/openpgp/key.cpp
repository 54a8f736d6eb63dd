#include "openpgp/key.hpp"

#include <cstdio>

#include "infra/openssl/digest.hpp"
#include "openpgp/curve.hpp"
#include "openpgp/key_material.hpp"
#include "openpgp/mpi.hpp"

namespace chartprov::openpgp {
namespace {

constexpr std::size_t kV4HeaderSize = 6;  // version, creation time, algorithm

Result<ByteView> read_oid(ByteReader& in) {
  std::uint8_t len = 0;
  ByteView oid;
  if (!in.u8(len)) return input_error("truncated curve OID");
  if (len == 0 || len == 0xff) return input_error("reserved curve OID length " + std::to_string(len));
  if (!in.take(len, oid)) return input_error("curve OID runs past the end of the packet");
  return oid;
}

Status read_mpis(ByteReader& in, KeyMaterial& m, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    TRY(ByteView v, read_mpi(in, name));
    m.mpis.push_back(v);
  }
  return ok_status();
}

Status read_native(ByteReader& in, KeyMaterial& m, std::size_t size, const char* what) {
  if (!in.take(size, m.native)) return input_error(std::string("truncated ") + what + " public key");
  return ok_status();
}

std::string curve_label(const PublicKey& key) {
  const Curve* c = curve_by_openssl_name(key.curve);
  return c != nullptr ? std::string(c->label) : "unknown-curve";
}

}  // namespace

Result<KeyMaterial> read_key_material(PubKeyAlgo algo, ByteReader& in) {
  KeyMaterial m;
  switch (static_cast<std::uint8_t>(algo)) {
    case 1:  // RSA, and the deprecated encrypt-only (2) / sign-only (3) variants
    case 2:
    case 3: TRY_STATUS(read_mpis(in, m, {"RSA n", "RSA e"})); break;
    case 16: TRY_STATUS(read_mpis(in, m, {"Elgamal p", "Elgamal g", "Elgamal y"})); break;
    case 17: TRY_STATUS(read_mpis(in, m, {"DSA p", "DSA q", "DSA g", "DSA y"})); break;
    case 18: {
      TRY(m.oid, read_oid(in));
      TRY_STATUS(read_mpis(in, m, {"ECDH point"}));
      std::uint8_t len = 0;
      if (!in.u8(len) || len < 3 || !in.take(len, m.kdf)) return input_error("malformed ECDH KDF parameters");
      break;
    }
    case 19:
    case 22: {
      TRY(m.oid, read_oid(in));
      TRY_STATUS(read_mpis(in, m, {"EC point"}));
      break;
    }
    case 25: TRY_STATUS(read_native(in, m, 32, "X25519")); break;
    case 26: TRY_STATUS(read_native(in, m, 56, "X448")); break;
    case 27: TRY_STATUS(read_native(in, m, 32, "Ed25519")); break;
    case 28: TRY_STATUS(read_native(in, m, 57, "Ed448")); break;
    default: m.known = false; break;
  }
  return m;
}

Result<KeyMaterial> key_material(const PublicKey& key) {
  if (key.body.size() < kV4HeaderSize) return input_error("truncated public key");
  ByteReader in(ByteView(key.body).subspan(kV4HeaderSize));
  return read_key_material(key.algo, in);
}

Result<PublicKey> parse_public_key(ByteView body, bool allow_trailing) {
  ByteReader in(body);
  PublicKey key;
  std::uint8_t algo = 0;
  if (!in.u8(key.version)) return input_error("empty public key packet");
  if (key.version != 4) return input_error("unsupported OpenPGP key version " + std::to_string(key.version));
  if (!in.u32(key.created) || !in.u8(algo)) return input_error("truncated public key packet");
  key.algo = static_cast<PubKeyAlgo>(algo);
  TRY(KeyMaterial m, read_key_material(key.algo, in));
  if (!m.known) {
    // The extent of an unknown algorithm's fields is unknowable: a public
    // key packet keeps its whole body, a secret key packet cannot be used.
    if (allow_trailing) return input_error("unsupported public-key algorithm " + std::to_string(algo));
    in.take(in.remaining(), m.native);
  }
  if (!allow_trailing && !in.empty()) {
    return input_error("public key packet has " + std::to_string(in.remaining()) + " unexpected trailing bytes");
  }
  const ByteView public_part = in.consumed();
  if (public_part.size() > 0xffff) return input_error("public key packet too large for a v4 fingerprint");
  key.body.assign(public_part.begin(), public_part.end());

  TRY(crypto::Digest sha1, crypto::Digest::create(crypto::DigestAlg::kSha1));
  const std::uint8_t prefix[3] = {0x99, static_cast<std::uint8_t>(public_part.size() >> 8),
                                  static_cast<std::uint8_t>(public_part.size() & 0xff)};
  sha1.update(ByteView(prefix));
  sha1.update(public_part);
  key.fingerprint = sha1.finish();
  for (std::size_t i = key.fingerprint.size() - 8; i < key.fingerprint.size(); ++i) {
    key.key_id = (key.key_id << 8) | key.fingerprint[i];
  }

  switch (key.algo) {
    case PubKeyAlgo::kRsa:
    case PubKeyAlgo::kRsaSignOnly:
    case PubKeyAlgo::kDsa: key.bits = bit_length(m.mpis[0]); break;
    case PubKeyAlgo::kEcdh:
    case PubKeyAlgo::kEcdsa:
    case PubKeyAlgo::kEddsaLegacy:
      if (const Curve* c = curve_by_oid(m.oid)) {
        key.curve = std::string(c->openssl);
        key.bits = c->bits;
      }
      break;
    case PubKeyAlgo::kEd25519:
      key.curve = "ED25519";
      key.bits = 255;
      break;
    case PubKeyAlgo::kEd448:
      key.curve = "ED448";
      key.bits = 448;
      break;
  }
  if (algo == 2 || algo == 16) key.bits = bit_length(m.mpis[0]);
  return key;
}

std::string algorithm_label(const PublicKey& key) {
  const std::string bits = std::to_string(key.bits);
  switch (static_cast<std::uint8_t>(key.algo)) {
    case 1:
    case 2:
    case 3: return "RSA-" + bits;
    case 16: return "Elgamal-" + bits;
    case 17: return "DSA-" + bits;
    case 18: return "ECDH-" + curve_label(key);
    case 19: return "ECDSA-" + curve_label(key);
    case 22: return "EdDSA-" + curve_label(key);
    case 25: return "X25519";
    case 26: return "X448";
    case 27: return "EdDSA-Ed25519";
    case 28: return "EdDSA-Ed448";
    default: return "unknown-algorithm-" + std::to_string(static_cast<unsigned>(key.algo));
  }
}

std::string key_id_hex(std::uint64_t key_id) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(key_id));
  return buf;
}

}  // namespace chartprov::openpgp
