#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>

#include "app/keys/cosign_keys.hpp"
#include "app/keys/keygen.hpp"
#include "cli/commands.hpp"
#include "cli/key_lifecycle_command.hpp"
#include "cli/output.hpp"
#include "cli/passphrase.hpp"

namespace chartprov::cli {
namespace {

struct KeyGenerateOptions {
  std::string algorithm = app::kDefaultKeyAlgorithm;
  std::string uid;
  std::string output;
  std::string expires = "never";
  std::string passphrase_file;
  bool no_passphrase = false;
  bool force = false;
  std::string format = "chartprov";
};

int run_generate_cosign(const KeyGenerateOptions& o) {
  if (o.no_passphrase)
    return report_error(usage_error("cosign keys are always encrypted (COSIGN_PASSWORD may be empty)"));
  std::optional<SecretString> password = app::cosign_password_from_env();
  if (!password) {
    PassphraseSource source;
    if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
    source.prompt = "Password for the new cosign key: ";
    source.confirm = true;
    auto p = obtain_passphrase(source);
    if (!p.ok()) return report_error(p.error());
    password = std::move(*p);
  }
  app::CosignKeyGenRequest req;
  req.algorithm = o.algorithm;
  req.output_prefix = o.output;
  req.password = &*password;
  req.overwrite = o.force;
  const auto r = app::generate_cosign_key(req);
  if (!r.ok()) return report_error(r.error());
  std::printf("Generated cosign key pair (%s), key id %s\n", o.algorithm.c_str(), r->key_id.c_str());
  std::printf("Private key: %s (mode 0600, encrypted as cosign does)\n", r->private_key.c_str());
  std::printf("Public key: %s\n", r->public_key.c_str());
  std::printf(
      "OpenPGP certificate for helm: chartprov key export --openpgp --key %s --uid \"Name <email>\" --output PREFIX\n",
      r->private_key.c_str());
  return kExitOk;
}

int run_generate(const KeyGenerateOptions& o) {
  if (o.format == "cosign") return run_generate_cosign(o);
  app::KeyGenRequest req;
  req.algorithm = o.algorithm;
  req.user_id = o.uid;
  req.output_prefix = o.output;
  req.overwrite = o.force;
  auto expires = app::parse_duration(o.expires);
  if (!expires.ok()) return report_error(expires.error());
  req.expires_after = *expires;
  SecretString passphrase;
  if (!o.no_passphrase) {
    PassphraseSource source;
    if (!o.passphrase_file.empty()) source.file = o.passphrase_file;
    source.prompt = "Passphrase for the new key: ";
    source.confirm = true;
    auto p = obtain_passphrase(source);
    if (!p.ok()) return report_error(p.error());
    passphrase = std::move(*p);
    if (passphrase.empty()) {
      return report_error(usage_error("empty passphrase; use --no-passphrase for an unencrypted key file"));
    }
    req.passphrase = &passphrase;
  }
  const auto r = app::generate_signing_key(req);
  if (!r.ok()) return report_error(r.error());
  std::printf("Generated %s key %s\n", r->algorithm.c_str(), r->fingerprint.c_str());
  std::printf("Private key: %s (mode 0600%s)\n", r->key_file.c_str(),
              o.no_passphrase ? ", NOT encrypted" : ", encrypted");
  std::printf("Public keyring for helm --keyring: %s\n", r->public_binary.c_str());
  std::printf("Armored public key: %s\n", r->public_armored.c_str());
  return kExitOk;
}

}  // namespace

Runner add_key_command(CLI::App& app) {
  auto* key = app.add_subcommand("key", "Manage signing keys");
  key->require_subcommand(1);
  auto o = std::make_shared<KeyGenerateOptions>();
  auto* gen = key->add_subcommand("generate", "Generate a signing key pair");
  gen->add_option("--algorithm", o->algorithm,
                  "ecdsa-p256 (default; helm v3 and v4), ecdsa-p384, rsa-3072, "
                  "rsa-4096, ed25519 (helm v4 only)")
      ->check(CLI::IsMember({"ecdsa-p256", "ecdsa-p384", "rsa-3072", "rsa-4096", "ed25519"}));
  gen->add_option("--uid", o->uid, "user id, e.g. \"CI Signer <ci@example.com>\" (chartprov format)");
  gen->add_option("--output", o->output,
                  "PREFIX: writes PREFIX.key, PREFIX.pub.gpg, PREFIX.pub.asc (cosign format: PREFIX.key, PREFIX.pub)")
      ->required();
  gen->add_option("--format", o->format,
                  "chartprov (default: PKCS#8 key + OpenPGP certificate) or cosign (cosign.key/cosign.pub; password "
                  "from COSIGN_PASSWORD, CHARTPROV_PASSWORD or a prompt)")
      ->check(CLI::IsMember({"chartprov", "cosign"}));
  gen->add_option("--expires", o->expires, "key lifetime: 2y, 18m, 90d, never (default)");
  gen->add_option("--passphrase-file", o->passphrase_file,
                  "first line is the passphrase; else CHARTPROV_PASSWORD or a prompt");
  gen->add_flag("--no-passphrase", o->no_passphrase, "write the private key unencrypted");
  gen->add_flag("--force", o->force, "overwrite existing files");
  auto lifecycle = add_key_lifecycle_commands(*key);
  return [o, gen, lifecycle] {
    if (gen->parsed()) return run_generate(*o);
    if (const auto rc = lifecycle()) return *rc;
    return kExitError;
  };
}

}  // namespace chartprov::cli
