#include "envelope/cosign/key_file.hpp"

#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "envelope/cosign/pem_block.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "infra/openssl/random.hpp"
#include "infra/openssl/scrypt.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/sodium/secretbox.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::cosign {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct ScryptCost {
  std::uint64_t n, r, p;
};
// The only triples cosign accepts (legacy, standard, OWASP): checked before
// any work, so a file cannot make us burn memory.
constexpr ScryptCost kAccepted[] = {{32768, 8, 1}, {65536, 8, 1}, {131072, 8, 1}};
constexpr ScryptCost kWrite = {65536, 8, 1};

Result<Bytes> b64_field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return input_error(std::string("missing \"") + name + "\"");
  auto bytes = base64_decode(it->get<std::string>());
  if (!bytes) return input_error(std::string("\"") + name + "\" is not base64");
  return std::move(*bytes);
}

// "" when absent or not a string (json::value() would throw on a number).
std::string string_field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::uint64_t> uint_field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) return input_error(std::string("scrypt \"") + name + "\" missing");
  return it->get<std::uint64_t>();
}

}  // namespace

Status check_supported_key(const crypto::PKey& key) {
  switch (crypto::key_type(key)) {
    case crypto::KeyType::kRsa: {
      const unsigned bits = crypto::key_bits(key);
      if (bits < 2048 || bits > 4096)
        return input_error("RSA keys must be 2048 to 4096 bits (this one: " + std::to_string(bits) + ")");
      return ok_status();
    }
    case crypto::KeyType::kEc: {
      TRY(const std::string group, crypto::ec_group_name(key));
      if (group == "prime256v1" || group == "secp384r1" || group == "secp521r1") return ok_status();
      return input_error("unsupported elliptic curve " + group);
    }
    case crypto::KeyType::kEd25519: return ok_status();
    default: return input_error("unsupported key type (cosign keys are RSA, ECDSA P-256/384/521 or Ed25519)");
  }
}

bool looks_like_cosign_private_key(std::string_view text) {
  return text.find("-----BEGIN " + std::string(kPrivateLabel) + "-----") != std::string_view::npos ||
         text.find("-----BEGIN " + std::string(kLegacyPrivateLabel) + "-----") != std::string_view::npos;
}

Result<CosignPrivateKey> read_cosign_private_key(std::string_view text, const SecretString& password) {
  if (text.size() > kMaxKeyFile) return input_error("key file larger than " + byte_size_text(kMaxKeyFile));
  TRY(const PemBlock block, read_pem_block(text));
  if (block.label != kPrivateLabel && block.label != kLegacyPrivateLabel) {
    return input_error("unsupported PEM type \"" + block.label + "\" (want " + std::string(kPrivateLabel) + ")");
  }
  const json doc = parse_untrusted_json(block.der);
  if (doc.is_discarded() || !doc.is_object()) return input_error("the key's PEM body is not JSON");
  const auto kdf = doc.find("kdf");
  const auto cipher = doc.find("cipher");
  if (kdf == doc.end() || !kdf->is_object() || cipher == doc.end() || !cipher->is_object()) {
    return input_error("the key has no kdf or cipher");
  }
  if (string_field(*kdf, "name") != "scrypt") return input_error("unsupported kdf (want scrypt)");
  if (string_field(*cipher, "name") != "nacl/secretbox") return input_error("unsupported cipher (want nacl/secretbox)");
  const auto params = kdf->find("params");
  if (params == kdf->end() || !params->is_object()) return input_error("scrypt parameters missing");
  TRY(const std::uint64_t n, uint_field(*params, "N"));
  TRY(const std::uint64_t r, uint_field(*params, "r"));
  TRY(const std::uint64_t p, uint_field(*params, "p"));
  bool accepted = false;
  for (const auto& c : kAccepted) accepted = accepted || (c.n == n && c.r == r && c.p == p);
  if (!accepted) {
    return input_error("unsupported scrypt parameters N=" + std::to_string(n) + " r=" + std::to_string(r) +
                       " p=" + std::to_string(p));
  }
  TRY(const Bytes salt, b64_field(*kdf, "salt"));
  TRY(const Bytes nonce, b64_field(*cipher, "nonce"));
  if (nonce.size() != sodium::kSecretboxNonceSize) return input_error("the nonce must be 24 bytes");
  TRY(const Bytes ciphertext, b64_field(doc, "ciphertext"));

  TRY(const SecretBytes box_key, crypto::scrypt(password, salt, n, r, p, sodium::kSecretboxKeySize));
  TRY(const SecretBytes plaintext, sodium::secretbox_open(ciphertext, nonce, box_key.bytes()));
  auto key = crypto::parse_private_key_info_der(plaintext.bytes());
  if (!key) return input_error("the decrypted key is not a PKCS#8 private key");
  TRY_STATUS(check_supported_key(*key));

  CosignPrivateKey out;
  out.key = std::move(*key);
  if (const auto it = doc.find("chartprov_openpgp_created"); it != doc.end()) {
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0 || it->get<std::uint64_t>() > 0xffffffffull) {
      return input_error("\"chartprov_openpgp_created\" must be a unix time");
    }
    out.openpgp_created = static_cast<std::uint32_t>(it->get<std::uint64_t>());
  }
  return out;
}

Result<std::string> write_cosign_private_key(const crypto::PKey& key, const SecretString& password,
                                             std::optional<std::uint32_t> openpgp_created) {
  TRY_STATUS(check_supported_key(key));
  TRY(const SecretBytes der, crypto::private_key_info_der(key));
  Bytes salt(32);
  Bytes nonce(sodium::kSecretboxNonceSize);
  TRY_STATUS(crypto::random_fill(salt));
  TRY_STATUS(crypto::random_fill(nonce));
  TRY(const SecretBytes box_key,
      crypto::scrypt(password, salt, kWrite.n, kWrite.r, kWrite.p, sodium::kSecretboxKeySize));
  TRY(const Bytes ciphertext, sodium::secretbox_seal(der.bytes(), nonce, box_key.bytes()));
  // cosign's field order (Go struct order); readers do not depend on it.
  ordered_json doc;
  doc["kdf"] = {{"name", "scrypt"},
                {"params", {{"N", kWrite.n}, {"r", kWrite.r}, {"p", kWrite.p}}},
                {"salt", base64_encode(salt)}};
  doc["cipher"] = {{"name", "nacl/secretbox"}, {"nonce", base64_encode(nonce)}};
  doc["ciphertext"] = base64_encode(ciphertext);
  if (openpgp_created) doc["chartprov_openpgp_created"] = *openpgp_created;
  const std::string body = doc.dump();
  return write_pem_block(kPrivateLabel, as_bytes(body));
}

Result<crypto::PKey> read_cosign_public_key(std::string_view text) {
  if (text.size() > kMaxKeyFile) return input_error("public key file larger than " + byte_size_text(kMaxKeyFile));
  TRY(const PemBlock block, read_pem_block(text));
  if (block.label == "PUBLIC KEY") {
    TRY(crypto::PKey key, crypto::parse_spki_der(block.der));
    TRY_STATUS(check_supported_key(key));
    return key;
  }
  if (block.label == "RSA PUBLIC KEY") {
    const unsigned char* p = block.der.data();
    EVP_PKEY* raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(block.der.size()));
    if (raw == nullptr || p != block.der.data() + block.der.size()) {
      if (raw != nullptr) EVP_PKEY_free(raw);
      return input_error("not a PKCS#1 RSA public key");
    }
    crypto::PKey key(raw);
    TRY_STATUS(check_supported_key(key));
    return key;
  }
  return input_error("unknown Public key PEM file type \"" + block.label + "\" (want PUBLIC KEY)");
}

Result<std::string> write_cosign_public_key(const crypto::PKey& key) {
  TRY(const Bytes der, crypto::spki_der(key));
  return write_pem_block("PUBLIC KEY", der);
}

}  // namespace chartprov::cosign
