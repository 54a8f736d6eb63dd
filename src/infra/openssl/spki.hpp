#pragma once
// Public keys as SubjectPublicKeyInfo: DER, and PEM with the `PUBLIC KEY`
// label (what `openssl pkey -pubout`, cosign and KMS APIs hand out).
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::crypto {

// Strict: the whole input must be one SPKI (no trailing bytes).
Result<PKey> parse_spki_der(ByteView der);
// One `-----BEGIN PUBLIC KEY-----` block; text around it is ignored.
Result<PKey> parse_public_key_pem(std::string_view pem);
// PEM of the key's public half, 64-column lines, trailing newline.
Result<std::string> public_key_pem(const PKey& key);

}  // namespace chartprov::crypto
