#pragma once
// The key id (DESIGN's): the SHA-256 of a public key's DER
// SubjectPublicKeyInfo, in the one canonical form spki_der (pkey.hpp) gives,
// so that one key has one id however it was read (an EC key with a
// compressed point or explicit curve parameters gets the id of its named
// curve and uncompressed point). The id cosign, Sigstore bundles (as the
// base64 `hint`), trust roots, key histories, key shares, exec signers and
// log checkpoints name a key by. The one place it is computed.
#include <string>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::crypto {

// The 32 bytes of the key id. Reads only `key`. Refusals (spki_der's, no id
// made): an empty key or one OpenSSL cannot encode ("cannot encode public
// key"); an EC key on a curve without a name ("EC key without a named
// curve"); an EC key that does not re-encode canonically ("cannot encode the
// EC key canonically", or another internal error while re-encoding it).
Result<Bytes> spki_key_id_bytes(const PKey& key);

// The key id as 64 lowercase hex digits: what `openssl pkey -pubin -outform DER
// | sha256sum` prints for the canonical SPKI. Refusals: those of
// spki_key_id_bytes.
Result<std::string> spki_key_id(const PKey& key);

}  // namespace chartprov::crypto
