#include "app/keys/cosign_keys.hpp"

#include <cstdlib>

#include "app/helpers/blob_staged_files.hpp"
#include "envelope/cosign/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace chartprov::app {

Result<CosignKeyGenResult> generate_cosign_key(const CosignKeyGenRequest& req) {
  if (req.output_prefix.empty()) return usage_error("--output PREFIX is required");
  if (req.password == nullptr) return usage_error("a cosign key needs a password (COSIGN_PASSWORD may be empty)");
  CosignKeyGenResult out;
  out.private_key = req.output_prefix.string() + ".key";
  out.public_key = req.output_prefix.string() + ".pub";
  if (!req.overwrite) TRY_STATUS(refuse_to_overwrite({out.private_key, out.public_key}));
  out.openpgp_created = static_cast<std::uint32_t>(now_or(req.now));
  TRY(const crypto::PKey key, crypto::generate_key(req.algorithm));
  TRY(const std::string private_pem, cosign::write_cosign_private_key(key, *req.password, out.openpgp_created));
  TRY(const std::string public_pem, cosign::write_cosign_public_key(key));
  TRY(out.key_id, crypto::spki_key_id(key));
  TRY_STATUS(write_all_or_nothing({{out.private_key, private_pem, 0600}, {out.public_key, public_pem, 0644}}));
  return out;
}

std::optional<SecretString> cosign_password_from_env() {
  if (const char* v = std::getenv("COSIGN_PASSWORD"); v != nullptr) return SecretString(v);
  return std::nullopt;
}

}  // namespace chartprov::app
