#include "tlog/log_id.hpp"

#include "infra/openssl/digest.hpp"

namespace chartprov::tlog {

Result<Bytes> tile_log_id(const crypto::PKey& log_key, std::string_view origin) {
  if (crypto::key_type(log_key) != crypto::KeyType::kEd25519) return input_error("a log key is Ed25519");
  TRY(const Bytes raw, crypto::raw_public_bytes(log_key));
  Bytes data(origin.begin(), origin.end());
  data.push_back(0x0A);
  data.push_back(0x01);
  data.insert(data.end(), raw.begin(), raw.end());
  return crypto::sha256(data);
}

}  // namespace chartprov::tlog
