#include "app/sign/blob_signer.hpp"

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/cosign/key_file.hpp"
#include "infra/openssl/key_file.hpp"
#include "util/file.hpp"

namespace chartprov::app {

Result<bool> is_cosign_private_key_file(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, crypto::kMaxKeyFileSize));
  return cosign::looks_like_cosign_private_key(text);
}

Result<SigningKey> load_signing_key(const std::filesystem::path& path, const SecretString& passphrase) {
  TRY_STATUS(check_private_file_permissions(path));
  TRY(const std::string text, read_text_file(path, crypto::kMaxKeyFileSize));
  SigningKey out;
  if (cosign::looks_like_cosign_private_key(text)) {
    auto key = cosign::read_cosign_private_key(text, passphrase);
    if (!key) return key.error().with_context(path.string());
    out.key = std::move(key->key);
    out.openpgp_created = key->openpgp_created;
    out.source_format = "cosign";
    return out;
  }
  // An unencrypted chartprov key ignores the passphrase; an encrypted one needs it.
  auto file = crypto::parse_private_key_file(as_bytes(text), passphrase.empty() ? nullptr : &passphrase, path.string());
  if (!file) return file.error();
  TRY_STATUS(cosign::check_supported_key(file->key));
  out.key = std::move(file->key);
  if (file->info.created != 0) out.openpgp_created = file->info.created;
  out.source_format = "chartprov";
  return out;
}

Result<Bytes> sign_blob(const crypto::PKey& key, ByteView data) {
  if (!crypto::has_private_key(key)) return usage_error("signing needs a private key");
  TRY(Bytes sig, cosign::sign_blob(key, data));
  // A fault or a mismatched key must not leave here as a signature.
  if (!cosign::verify_blob(key, data, sig)) return internal_error("the blob signature just made does not verify");
  return sig;
}

Result<crypto::PKey> load_public_key(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, cosign::kMaxKeyFile));
  auto key = cosign::read_cosign_public_key(text);
  if (!key) return key.error().with_context(path.string());
  return key;
}

bool verify_blob(const crypto::PKey& key, ByteView data, ByteView signature) {
  return cosign::verify_blob(key, data, signature);
}

Bytes decode_blob_signature(ByteView file) { return cosign::decode_signature_file(file); }

std::string encode_blob_signature(ByteView signature) { return cosign::encode_signature_file(signature); }

}  // namespace chartprov::app
