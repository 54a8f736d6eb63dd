#pragma once
// The keys on a PKCS#11 token, through chartprov-pkcs11 (labels, ids and
// public keys only: nothing secret leaves the token).
#include <string>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::signer {

struct TokenKey {
  std::string label;
  std::string id_hex;
  crypto::PKey public_key;  // empty when the token has no public object for it
};

// token_uri names a token (token=..., module-path=...); object=/id= are not needed.
Result<std::vector<TokenKey>> list_pkcs11_keys(std::string_view token_uri, const SecretString* pin,
                                               const std::string& helper);

// Generates, on the same token, a key pair like the one `key_uri` names
// (same curve or modulus), labelled new_label with CKA_ID new_id; returns its public key.
Result<crypto::PKey> generate_pkcs11_key_like(std::string_view key_uri, const SecretString* pin,
                                              const std::string& helper, const std::string& new_label, ByteView new_id);

}  // namespace chartprov::signer
