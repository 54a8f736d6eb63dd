#include "cli/signer_options.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "cli/passphrase.hpp"

namespace chartprov::cli {

void add_signer_options(CLI::App& cmd, SignerOptions& o) {
  cmd.add_option(
      "--key", o.key,
      "signing key: a chartprov key file (PREFIX.key), a PKCS#11 URI (pkcs11:...?module-path=...), "
      "an external signer (exec:/path), or with --keyring/--gnupg-home a GnuPG user id, key id or fingerprint");
  cmd.add_option("--keyring", o.keyring, "GnuPG secret keyring (gpg --export-secret-keys), as helm's --keyring");
  cmd.add_option("--gnupg-home", o.gnupg_home, "GnuPG home directory (pubring.kbx + private-keys-v1.d)");
  cmd.add_option("--passphrase-file", o.passphrase_file,
                 "file whose first line is the passphrase ('-' = stdin); else CHARTPROV_PASSWORD or a prompt");
}

Result<app::SignRequest> make_sign_request(const SignerOptions& o) {
  if (o.key.empty()) return usage_error("--key is required");
  if (!o.keyring.empty() && !o.gnupg_home.empty()) return usage_error("use --keyring or --gnupg-home, not both");
  app::SignRequest req;
  if (!o.keyring.empty()) {
    req.signer = {app::SignerSpec::Kind::kGnupgKeyring, o.keyring, o.key};
  } else if (!o.gnupg_home.empty()) {
    req.signer = {app::SignerSpec::Kind::kGnupgHome, o.gnupg_home, o.key};
  } else {
    req.signer = {app::SignerSpec::Kind::kKeyFile, o.key, ""};
  }
  PassphraseSource source;
  if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
  req.passphrase_given = source.file.has_value() || std::getenv("CHARTPROV_PASSWORD") != nullptr;
  req.passphrase = [source] { return obtain_passphrase(source); };
  return req;
}

}  // namespace chartprov::cli
