#include "app/keys/signer_source.hpp"

#include <unistd.h>

#include <cstdlib>

#include "app/helpers/helper_path.hpp"
#include "app/keys/cosign_keys.hpp"
#include "envelope/cosign/key_file.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "signer/exec_signer.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/file.hpp"

namespace chartprov::app {

KeyRefKind key_ref_kind(std::string_view ref) {
  if (ref.substr(0, signer::kPkcs11Scheme.size()) == signer::kPkcs11Scheme) return KeyRefKind::kPkcs11;
  if (ref.substr(0, signer::kExecScheme.size()) == signer::kExecScheme) return KeyRefKind::kExec;
  return KeyRefKind::kFile;
}

Result<OpenedSigner> open_signer(const std::string& ref, const SecretProvider& secret) {
  OpenedSigner out;
  switch (key_ref_kind(ref)) {
    case KeyRefKind::kPkcs11: {
      TRY(const signer::Pkcs11Uri uri, signer::parse_pkcs11_uri(ref));
      TRY(const std::string helper, pkcs11_helper_path());
      std::optional<SecretString> pin;
      if (const char* env = std::getenv("CHARTPROV_PKCS11_PIN"); env != nullptr) {
        pin = SecretString(env);
      } else if (uri.pin_value.empty()) {
        TRY(pin, secret(SecretKind::kPin,
                        "PIN for " + (uri.token.empty() ? std::string("the token") : "token " + uri.token) + ": "));
      }
      TRY(out.signer, signer::open_pkcs11_signer(ref, pin ? &*pin : nullptr, helper));
      break;
    }
    case KeyRefKind::kExec: {
      TRY(out.signer, signer::open_exec_signer(ref));
      break;
    }
    case KeyRefKind::kFile: {
      TRY_STATUS(check_private_file_permissions(ref));  // before any prompt
      TRY(const std::string head, read_text_file(ref, cosign::kMaxKeyFile));
      if (cosign::looks_like_cosign_private_key(head)) {
        // cosign's rule: COSIGN_PASSWORD when set (empty is a password), else ask.
        std::optional<SecretString> pw = cosign_password_from_env();
        if (!pw) {
          TRY(pw, secret(SecretKind::kPassphrase, "Password for " + ref + ": "));
        }
        auto key = cosign::read_cosign_private_key(head, *pw);
        if (!key) return key.error().with_context(ref);
        out.openpgp_created = key->openpgp_created.value_or(0);
        out.signer = signer::make_key_signer(std::move(key->key), "cosign key " + ref);
        break;
      }
      auto file = crypto::read_private_key_file_asking(
          ref, [&] { return secret(SecretKind::kPassphrase, "Passphrase for " + ref + ": "); });
      if (!file.ok()) return file.error();
      out.openpgp_created = file->info.created;
      out.user_id = file->info.user_id;
      out.signer = signer::make_key_signer(std::move(file->key), "file " + ref);
      break;
    }
  }
  TRY(out.key_id, crypto::spki_key_id(out.signer->public_key()));
  return out;
}

Result<std::uint32_t> openpgp_creation_time(const OpenedSigner& signer, std::uint32_t explicit_created,
                                            const keys::KeyHistory* history) {
  if (explicit_created != 0) return explicit_created;
  if (signer.openpgp_created != 0) return signer.openpgp_created;
  if (history != nullptr) {
    if (const auto* record = history->find(signer.key_id); record != nullptr && record->created > 0) {
      return static_cast<std::uint32_t>(record->created);
    }
  }
  return usage_error("the OpenPGP identity of " + signer.signer->describe() +
                     " needs its creation time: give --key-history with the key recorded by `key export --openpgp`, "
                     "or --created with the value used at export");
}

}  // namespace chartprov::app
