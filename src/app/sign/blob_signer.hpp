#pragma once
// The contract other use cases (sign oci://, Sigstore bundles) call to sign
// and verify bytes as `cosign sign-blob --key` / `verify-blob --key` do
// (tests/data/cosign/FORMAT.md A, B). Keys come from files only; HSM and
// exec: keys go through app/keys/signer_source.hpp.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

// Any private key chartprov can sign with from a file: a chartprov key
// (infra/openssl/key_file.hpp) or a cosign.key (told apart by its PEM label).
struct SigningKey {
  crypto::PKey key;
  std::optional<std::uint32_t> openpgp_created;  // fixes the OpenPGP fingerprint; unset for keys cosign made
  std::string source_format;                     // "chartprov" | "cosign"
};

// The file must not be group/other-accessible (checked before anything is
// read). passphrase: a cosign.key's password (empty is a real password); for
// a chartprov key, ignored when the file is unencrypted.
Result<SigningKey> load_signing_key(const std::filesystem::path& path, const SecretString& passphrase);

// Whether the file is a cosign.key (by its PEM label), nothing decrypted.
Result<bool> is_cosign_private_key_file(const std::filesystem::path& path);

// cosign sign-blob: the signature over the raw bytes with the key's default
// algorithm (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, RSA PKCS#1 v1.5
// SHA-256, pure Ed25519); ECDSA as DER. Checked against the public half
// before it is returned.
Result<Bytes> sign_blob(const crypto::PKey& key, ByteView data);

// cosign.pub: a PEM "PUBLIC KEY" (PKIX) or "RSA PUBLIC KEY" (PKCS#1); every
// other label is refused, as cosign does. Limited to 64 KiB.
Result<crypto::PKey> load_public_key(const std::filesystem::path& path);

// false (not an error) when the signature does not verify; strict DER for
// ECDSA; high-S accepted (cosign has no low-S rule).
bool verify_blob(const crypto::PKey& key, ByteView data, ByteView signature);

// A .sig file's bytes as cosign reads them (base64, CR/LF anywhere, else raw).
Bytes decode_blob_signature(ByteView file);
// What cosign writes with --output-signature: base64, no newline.
std::string encode_blob_signature(ByteView signature);

}  // namespace chartprov::app
