#include "openpgp/openssl_key.hpp"

#include <string>

#include "openpgp/byte_reader.hpp"
#include "openpgp/curve.hpp"
#include "openpgp/mpi.hpp"

namespace chartprov::openpgp {

Result<ByteView> eddsa_legacy_public(const KeyMaterial& m) {
  const ByteView point = m.mpis.at(0);
  if (point.size() != 33 || point[0] != 0x40)
    return input_error("malformed EdDSA public key (expected 0x40 || 32 octets)");
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

Result<PublicKey> openpgp_public_key(const crypto::PKey& key, std::uint32_t created, bool ed25519_native) {
  Bytes body = {4};
  append_u32(body, created);
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: {
      TRY(Bytes n, crypto::bn_param(key, "n"));
      TRY(Bytes e, crypto::bn_param(key, "e"));
      body.push_back(1);
      append_mpi(body, n);
      append_mpi(body, e);
      break;
    }
    case crypto::KeyType::kDsa: {
      body.push_back(17);
      for (const char* name : {"p", "q", "g", "pub"}) {
        TRY(Bytes v, crypto::bn_param(key, name));
        append_mpi(body, v);
      }
      break;
    }
    case crypto::KeyType::kEc: {
      TRY(std::string group, crypto::ec_group_name(key));
      const Curve* c = curve_by_openssl_name(group);
      if (c == nullptr) return input_error("curve " + group + " has no OpenPGP name");
      TRY(Bytes point, crypto::ec_public_point(key));
      body.push_back(19);
      body.push_back(static_cast<std::uint8_t>(c->oid.size()));
      body.insert(body.end(), c->oid.begin(), c->oid.end());
      append_mpi(body, point);
      break;
    }
    case crypto::KeyType::kEd25519: {
      TRY(Bytes pub, crypto::raw_public_bytes(key));
      if (ed25519_native) {
        body.push_back(27);
        body.insert(body.end(), pub.begin(), pub.end());
        break;
      }
      const Curve* c = curve_by_openssl_name("ED25519");
      body.push_back(22);
      body.push_back(static_cast<std::uint8_t>(c->oid.size()));
      body.insert(body.end(), c->oid.begin(), c->oid.end());
      Bytes point = {0x40};
      point.insert(point.end(), pub.begin(), pub.end());
      append_mpi(body, point);
      break;
    }
    case crypto::KeyType::kEd448: {
      TRY(Bytes pub, crypto::raw_public_bytes(key));
      body.push_back(28);
      body.insert(body.end(), pub.begin(), pub.end());
      break;
    }
    case crypto::KeyType::kOther: return input_error("key type has no OpenPGP equivalent");
  }
  return parse_public_key(body);
}

}  // namespace chartprov::openpgp
