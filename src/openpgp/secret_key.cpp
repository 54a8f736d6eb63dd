#include "openpgp/secret_key.hpp"

#include <vector>

#include "infra/openssl/pkey.hpp"
#include "openpgp/byte_reader.hpp"
#include "openpgp/curve.hpp"
#include "openpgp/key_material.hpp"
#include "openpgp/mpi.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/openssl_signer.hpp"
#include "util/secure.hpp"

namespace chartprov::openpgp {
namespace {

constexpr std::uint8_t kGnuDummyS2k = 101;  // GnuPG extension: no secret here (stub)

Error refuse_protected(std::uint8_t usage, ByteReader& in, const PublicKey& pub) {
  std::uint8_t sym = 0;
  std::uint8_t s2k = 0;
  if ((usage == 254 || usage == 255) && in.u8(sym) && in.u8(s2k) && s2k == kGnuDummyS2k) {
    return input_error("secret key " + key_id_hex(pub.key_id) +
                       " is a GnuPG stub: its secret part is not in this keyring (offline key or smartcard)");
  }
  return input_error("secret key " + key_id_hex(pub.key_id) + " is encrypted; unlock it before signing");
}

// The secret fields of each algorithm: MPIs, or one native octet string.
Result<std::vector<ByteView>> read_secret_fields(const PublicKey& pub, ByteReader& in) {
  int mpis = 0;
  std::size_t native = 0;
  switch (pub.algo) {
    case PubKeyAlgo::kRsa:
    case PubKeyAlgo::kRsaSignOnly: mpis = 4; break;  // d, p, q, u
    case PubKeyAlgo::kDsa:
    case PubKeyAlgo::kEcdsa:
    case PubKeyAlgo::kEddsaLegacy: mpis = 1; break;
    case PubKeyAlgo::kEd25519: native = 32; break;
    case PubKeyAlgo::kEd448: native = 57; break;
    case PubKeyAlgo::kEcdh: break;
  }
  if (mpis == 0 && native == 0) return input_error("secret key cannot sign: " + algorithm_label(pub));
  std::vector<ByteView> out;
  for (int i = 0; i < mpis; ++i) {
    TRY(ByteView v, read_mpi(in, "secret key"));
    out.push_back(v);
  }
  if (native > 0) {
    ByteView v;
    if (!in.take(native, v)) return input_error("truncated secret key");
    out.push_back(v);
  }
  return out;
}

Result<crypto::PKey> private_key(const PublicKey& pub, const KeyMaterial& m, const std::vector<ByteView>& s) {
  switch (pub.algo) {
    case PubKeyAlgo::kRsa:
    case PubKeyAlgo::kRsaSignOnly:
      // u (p^-1 mod q) only counts for the checksum: OpenSSL's CRT values are recomputed.
      return crypto::rsa_private_key(m.mpis[0], m.mpis[1], s[0], s[1], s[2]);
    case PubKeyAlgo::kDsa: return crypto::dsa_private_key(m.mpis[0], m.mpis[1], m.mpis[2], m.mpis[3], s[0]);
    case PubKeyAlgo::kEcdsa: {
      const Curve* c = curve_by_oid(m.oid);
      if (c == nullptr) return input_error("secret key on an unsupported curve");
      return crypto::ec_private_key(c->openssl, m.mpis[0], s[0]);
    }
    case PubKeyAlgo::kEddsaLegacy: {
      const Curve* c = curve_by_oid(m.oid);
      if (c == nullptr || c->openssl != "ED25519") return input_error("EdDSA secret key on an unsupported curve");
      TRY(ByteView pub_raw, eddsa_legacy_public(m));
      const SecretBytes seed(left_pad(s[0], 32));  // the MPI drops leading zero octets
      if (seed.bytes().empty()) return input_error("malformed EdDSA secret key (longer than 32 octets)");
      return crypto::raw_private_key("ED25519", seed.bytes(), pub_raw);
    }
    case PubKeyAlgo::kEd25519: return crypto::raw_private_key("ED25519", s[0], m.native);
    case PubKeyAlgo::kEd448: return crypto::raw_private_key("ED448", s[0], m.native);
    case PubKeyAlgo::kEcdh: break;
  }
  return input_error("secret key cannot sign: " + algorithm_label(pub));
}

}  // namespace

Result<std::unique_ptr<DigestSigner>> signer_from_secret_key_packet(ByteView body) {
  TRY(PublicKey pub, parse_public_key(body, true));
  TRY(KeyMaterial material, key_material(pub));
  ByteReader in(body.subspan(pub.body.size()));
  std::uint8_t usage = 0;
  if (!in.u8(usage)) return input_error("truncated secret key packet");
  if (usage != 0) return refuse_protected(usage, in, pub);

  const std::size_t start = in.position();
  TRY(std::vector<ByteView> secret, read_secret_fields(pub, in));
  const ByteView secret_octets = body.subspan(pub.body.size() + start, in.position() - start);
  std::uint16_t checksum = 0;
  if (!in.u16(checksum)) return input_error("truncated secret key packet (no checksum)");
  if (!in.empty()) return input_error("unexpected bytes after the secret key checksum");
  std::uint32_t sum = 0;
  for (const auto b : secret_octets) sum += b;
  if ((sum & 0xffff) != checksum) return input_error("secret key checksum mismatch (corrupt key)");

  TRY(crypto::PKey key, private_key(pub, material, secret));
  TRY(std::unique_ptr<OpenSslSigner> signer, OpenSslSigner::with_public_key(std::move(key), std::move(pub)));
  return std::unique_ptr<DigestSigner>(std::move(signer));
}

}  // namespace chartprov::openpgp
