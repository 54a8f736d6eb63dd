#pragma once
// Turns a `--key` reference into a signer (DESIGN "signer"):
//   pkcs11:...?module-path=...   a key in an HSM (PIN: CHARTPROV_PKCS11_PIN, the URI, or the provider)
//   exec:/path/to/plugin         an external signer (KMS/Vault bridge, docs/EXEC-SIGNER.md)
//   anything else                a key file, decrypted in memory
// The OpenPGP identity of such a signer is its key at a fixed creation time
// (openpgp_creation_time): the key file's own, the key history's record, or
// given by the operator, so the certificate from `key export --openpgp`
// matches the signatures.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/helpers/helper_path.hpp"
#include "keys/key_history.hpp"
#include "signer/signer.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

enum class KeyRefKind { kFile, kPkcs11, kExec };
KeyRefKind key_ref_kind(std::string_view ref);

struct OpenedSigner {
  std::unique_ptr<signer::Signer> signer;
  std::uint32_t openpgp_created = 0;  // known for key files; 0 for HSM/exec keys
  std::string user_id;                // from a key file's header
  std::string key_id;                 // hex SHA-256 of the SPKI
};

// secret: asked only when needed (a file's passphrase, an HSM PIN when
// neither CHARTPROV_PKCS11_PIN nor the URI has one).
enum class SecretKind { kPassphrase, kPin };
using SecretProvider = std::function<Result<SecretString>(SecretKind kind, const std::string& prompt)>;

Result<OpenedSigner> open_signer(const std::string& ref, const SecretProvider& secret);

// The OpenPGP creation time of a signer: explicit, the key file's, or its
// key history record's; an error saying how to supply one otherwise.
Result<std::uint32_t> openpgp_creation_time(const OpenedSigner& signer, std::uint32_t explicit_created,
                                            const keys::KeyHistory* history);

}  // namespace chartprov::app
