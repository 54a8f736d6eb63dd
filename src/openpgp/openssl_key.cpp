#include "openpgp/openssl_key.hpp"

#include <string>

#include "openpgp/curve.hpp"

namespace chartprov::openpgp {

Result<ByteView> eddsa_legacy_public(const KeyMaterial& m) {
  const ByteView point = m.mpis.at(0);
  if (point.size() != 33 || point[0] != 0x40) return input_error("malformed EdDSA public key (expected 0x40 || 32 octets)");
  return point.subspan(1);
}

Result<crypto::PKey> to_openssl_public_key(const PublicKey& key) {
  TRY(KeyMaterial m, key_material(key));
  switch (static_cast<std::uint8_t>(key.algo)) {
    case 1:
    case 3: return crypto::rsa_public_key(m.mpis[0], m.mpis[1]);
    case 17: return crypto::dsa_public_key(m.mpis[0], m.mpis[1], m.mpis[2], m.mpis[3]);
    case 19: {
      const Curve* c = curve_by_oid(m.oid);
      if (c == nullptr || c->openssl == "ED25519" || c->openssl == "X25519" || c->openssl == "ED448" ||
          c->openssl == "X448") {
        return input_error("unsupported ECDSA curve");
      }
      return crypto::ec_public_key(c->openssl, m.mpis[0]);
    }
    case 22: {
      const Curve* c = curve_by_oid(m.oid);
      if (c == nullptr || c->openssl != "ED25519") return input_error("unsupported EdDSA curve");
      TRY(ByteView pub, eddsa_legacy_public(m));
      return crypto::raw_public_key("ED25519", pub);
    }
    case 27: return crypto::raw_public_key("ED25519", m.native);
    case 28: return crypto::raw_public_key("ED448", m.native);
    default: return input_error("unsupported public-key algorithm " + std::to_string(static_cast<unsigned>(key.algo)));
  }
}

}  // namespace chartprov::openpgp
