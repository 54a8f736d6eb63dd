#include "infra/openssl/key_id.hpp"

#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"

namespace chartprov::crypto {

Result<Bytes> spki_key_id_bytes(const PKey& key) {
  TRY(const Bytes spki, spki_der(key));
  return sha256(spki);
}

Result<std::string> spki_key_id(const PKey& key) {
  TRY(const Bytes id, spki_key_id_bytes(key));
  return hex_encode(id);
}

}  // namespace chartprov::crypto
