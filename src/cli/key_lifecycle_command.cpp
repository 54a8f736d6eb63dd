#include "cli/key_lifecycle_command.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/keys/key_backup.hpp"
#include "app/keys/key_history_file.hpp"
#include "app/keys/key_lifecycle.hpp"
#include "app/keys/key_list.hpp"
#include "app/keys/openpgp_export.hpp"
#include "app/keys/signer_source.hpp"
#include "cli/cosign_export_command.hpp"
#include "cli/output.hpp"
#include "cli/passphrase.hpp"
#include "cli/sign_external_command.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "keys/key_share.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/file.hpp"
#include "util/secret_permissions.hpp"

namespace chartprov::cli {
namespace {

struct Options {
  // rotate
  std::string key, history = "keys.json", output, uid, expires = "never", passphrase_file, new_passphrase_file;
  bool no_passphrase = false, force = false;
  // revoke
  std::string reason, at;
  bool compromised = false;
  // backup / restore
  unsigned shares = 0, threshold = 0;
  std::vector<std::string> share_files;
  // list
  std::vector<std::string> histories, dirs, tokens;
  bool json = false;
  // export
  bool openpgp = false, pem = false;
  std::string created, export_history;
  std::string new_object;
};

Result<SecretString> passphrase_for(const std::string& file, const char* prompt, bool confirm,
                                    std::vector<std::string> env = {"CHARTPROV_PASSWORD"}) {
  PassphraseSource source;
  if (!file.empty()) source.file = file;
  source.env_names = std::move(env);
  source.prompt = prompt;
  source.confirm = confirm;
  return obtain_passphrase(source);
}

// Reads a key file, asking for its passphrase only when it is encrypted.
Result<crypto::PrivateKeyFile> read_key(const std::string& path, const std::string& passphrase_file) {
  return crypto::read_private_key_file_asking(
      path, [&] { return passphrase_for(passphrase_file, "Passphrase for the key: ", false); });
}

int run_rotate_token(const Options& o) {
  app::TokenRotateRequest req;
  req.current_uri = o.key;
  req.history = o.history;
  req.output_prefix = o.output;
  req.new_label = o.new_object;
  req.user_id = o.uid;
  req.overwrite = o.force;
  auto expires = app::parse_duration(o.expires);
  if (!expires) return report_error(expires.error());
  req.expires_after = *expires;
  if (req.user_id.empty()) return report_error(usage_error("--uid is required for a token key's certificate"));
  std::optional<SecretString> pin;
  if (o.key.find("pin-value=") == std::string::npos) {
    auto p = obtain_secret(app::SecretKind::kPin, "Token PIN: ", "");
    if (!p) return report_error(p.error());
    pin = std::move(*p);
    req.pin = &*pin;
  }
  const auto r = app::rotate_token_key(req);
  if (!r) return report_error(r.error());
  std::printf("Retired key %s: its signatures up to %s still count\n", r->retired.id.c_str(),
              keys::format_rfc3339(*r->retired.not_after).c_str());
  std::printf("Active key  %s (%s), generated on the token: %s\n", r->active.id.c_str(),
              r->active.openpgp_fingerprint.c_str(), r->active.location.c_str());
  std::printf("Key history: %s\n", o.history.c_str());
  std::printf(
      "Publish now: add %s (or %s) to the keyrings and trust root that deployments use,\n"
      "then sign new charts with --key '%s?module-path=...'.\n",
      r->successor.public_binary.c_str(), r->successor.public_armored.c_str(), r->active.location.c_str());
  return kExitOk;
}

int run_rotate(const Options& o) {
  if (app::key_ref_kind(o.key) == app::KeyRefKind::kPkcs11) return run_rotate_token(o);
  if (app::key_ref_kind(o.key) == app::KeyRefKind::kExec) {
    return report_error(
        usage_error("an exec: signer's keys are made in its KMS: create the new key there, record it with "
                    "`key export --openpgp --key exec:... --key-history`, then `key revoke` or retire the old one"));
  }
  app::RotateRequest req;
  req.current_key = o.key;
  req.history = o.history;
  req.output_prefix = o.output;
  req.user_id = o.uid;
  req.overwrite = o.force;
  auto expires = app::parse_duration(o.expires);
  if (!expires) return report_error(expires.error());
  req.expires_after = *expires;
  std::optional<SecretString> current;
  if (!crypto::read_private_key_file(o.key, nullptr).ok()) {
    auto pw = passphrase_for(o.passphrase_file, "Passphrase for the current key: ", false);
    if (!pw) return report_error(pw.error());
    current = std::move(*pw);
    req.current_passphrase = &*current;
  }
  std::optional<SecretString> fresh;
  if (!o.no_passphrase) {
    auto pw = passphrase_for(o.new_passphrase_file, "Passphrase for the new key: ", true, {"CHARTPROV_NEW_PASSWORD"});
    if (!pw) return report_error(pw.error());
    if (pw->empty()) return report_error(usage_error("empty passphrase; use --no-passphrase for an unencrypted key"));
    fresh = std::move(*pw);
    req.new_passphrase = &*fresh;
  }
  const auto r = app::rotate_key(req);
  if (!r) return report_error(r.error());
  std::printf("Retired key %s (%s): its signatures up to %s still count\n", r->retired.id.c_str(),
              r->retired.openpgp_fingerprint.c_str(), keys::format_rfc3339(*r->retired.not_after).c_str());
  std::printf("Active key  %s (%s): %s\n", r->active.id.c_str(), r->active.openpgp_fingerprint.c_str(),
              r->successor.key_file.c_str());
  std::printf("Key history: %s\n", o.history.c_str());
  std::printf(
      "Publish now: add %s (or %s) to the keyrings and trust root that deployments use,\n"
      "keep the retired key there until no chart it signed is deployed, then sign new charts with %s.\n",
      r->successor.public_binary.c_str(), r->successor.public_armored.c_str(), r->successor.key_file.c_str());
  return kExitOk;
}

int run_revoke(const Options& o) {
  app::RevokeRequest req;
  req.history = o.history;
  req.key = o.key;
  req.reason = o.reason;
  req.compromised = o.compromised;
  if (!o.at.empty()) {
    auto t = keys::parse_rfc3339(o.at);
    if (!t) return report_error(usage_error("--at: " + t.error().message));
    req.at = *t;
  }
  const auto r = app::revoke_key(req);
  if (!r) return report_error(r.error());
  std::printf("Revoked key %s at %s%s: %s\n", r->id.c_str(), keys::format_rfc3339(*r->revoked_at).c_str(),
              r->compromised ? " as COMPROMISED (none of its signatures count)" : "", r->reason.c_str());
  std::printf("Publish %s to every verifier (verify --key-history) and remove the key from their keyrings.\n",
              o.history.c_str());
  return kExitOk;
}

int run_backup(const Options& o) {
  auto key = read_key(o.key, o.passphrase_file);
  if (!key) return report_error(key.error());
  const auto shares = app::backup_key(key->key, key->info, o.threshold, o.shares);
  if (!shares) return report_error(shares.error());
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < shares->size(); ++i) {
    paths.push_back(o.output + "-" + std::to_string(i + 1));
    if (auto st = refuse_to_overwrite({paths.back()}); !o.force && !st) return report_error(st.error());
  }
  for (std::size_t i = 0; i < shares->size(); ++i) {
    if (auto s = atomic_write(paths[i], (*shares)[i], 0600); !s) {
      for (std::size_t j = 0; j < i; ++j) std::filesystem::remove(paths[j]);
      return report_error(s.error());
    }
  }
  auto id = crypto::spki_key_id(key->key);
  std::printf("Split key %s into %u shares; any %u rebuild it:\n", id ? id->c_str() : "?", o.shares, o.threshold);
  for (const auto& p : paths) std::printf("  %s\n", p.c_str());
  std::printf("Give each share to a different custodian; store them apart; test a restore.\n");
  return kExitOk;
}

int run_restore(const Options& o) {
  std::vector<std::string> texts;
  for (const auto& f : o.share_files) {
    if (auto st = check_secret_file_permissions(f, "key share"); !st) return report_error(st.error());
    auto t = read_text_file(f, keys::kMaxShareText);
    if (!t) return report_error(t.error());
    texts.push_back(std::move(*t));
  }
  const auto restored = app::restore_key(texts);
  if (!restored) return report_error(restored.error());
  if (auto st = refuse_to_overwrite({o.output}); !o.force && !st) return report_error(st.error());
  std::optional<SecretString> pw;
  if (!o.no_passphrase) {
    auto p = passphrase_for(o.passphrase_file, "Passphrase for the restored key: ", true);
    if (!p) return report_error(p.error());
    if (p->empty()) return report_error(usage_error("empty passphrase; use --no-passphrase for an unencrypted key"));
    pw = std::move(*p);
  }
  const auto file = crypto::write_private_key_file(restored->key, restored->info, pw ? &*pw : nullptr);
  if (!file) return report_error(file.error());
  if (auto s = atomic_write(o.output, ByteView(file->bytes()), 0600); !s) return report_error(s.error());
  std::printf("Restored key %s to %s (mode 0600%s)\n", restored->key_id.c_str(), o.output.c_str(),
              pw ? ", encrypted" : ", NOT encrypted");
  return kExitOk;
}

int run_list(const Options& o) {
  app::KeyListRequest req;
  for (const auto& h : o.histories) req.histories.emplace_back(h);
  for (const auto& d : o.dirs) req.dirs.emplace_back(d);
  req.tokens = o.tokens;
  if (req.histories.empty() && req.dirs.empty() && req.tokens.empty()) {
    req.dirs.emplace_back(".");
    std::error_code ec;
    if (std::filesystem::exists("keys.json", ec)) req.histories.emplace_back("keys.json");
  }
  std::optional<SecretString> pin;
  if (!req.tokens.empty()) {
    bool uri_has_pin = true;
    for (const auto& t : req.tokens) uri_has_pin = uri_has_pin && t.find("pin-value=") != std::string::npos;
    if (!uri_has_pin) {
      auto p = passphrase_for("", "Token PIN: ", false, {"CHARTPROV_PKCS11_PIN"});
      if (!p) return report_error(p.error(), o.json);
      pin = std::move(*p);
      req.pin = &*pin;
    }
  }
  const auto keys = app::list_keys(req);
  if (!keys) return report_error(keys.error(), o.json);
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& k : *keys) {
      list.push_back({{"source", k.source},
                      {"location", k.location},
                      {"key_id", k.key_id},
                      {"openpgp_fingerprint", k.fingerprint},
                      {"algorithm", k.algorithm},
                      {"status", k.status},
                      {"user_id", k.user_id}});
    }
    std::printf("%s\n", nlohmann::json{{"keys", list}}.dump().c_str());
    return kExitOk;
  }
  if (keys->empty()) std::printf("no keys found\n");
  for (const auto& k : *keys) {
    std::printf("%-7s %-10s %s\n        key id      %s\n", k.source.c_str(),
                k.algorithm.empty() ? "?" : k.algorithm.c_str(), k.location.c_str(),
                k.key_id.empty() ? "(unknown)" : k.key_id.c_str());
    if (!k.fingerprint.empty()) std::printf("        fingerprint %s\n", k.fingerprint.c_str());
    if (!k.status.empty()) std::printf("        status      %s\n", k.status.c_str());
    if (!k.user_id.empty()) std::printf("        user id     %s\n", k.user_id.c_str());
  }
  return kExitOk;
}

int run_export(const Options& o) {
  if (o.openpgp == o.pem) return report_error(usage_error("say which form: --openpgp or --pem"));
  if (o.pem) return run_export_pem(o.key, o.passphrase_file, o.output, o.force);
  auto created = parse_created(o.created);
  if (!created) return report_error(created.error());
  auto expires = app::parse_duration(o.expires);
  if (!expires) return report_error(expires.error());
  const auto secret = [&o](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, o.passphrase_file);
  };
  auto opened = app::open_signer(o.key, secret);
  if (!opened) return report_error(opened.error());
  app::OpenPgpExportRequest req;
  req.signer = &*opened;
  req.user_id = o.uid.empty() ? opened->user_id : o.uid;
  req.created = *created;
  req.expires_after = *expires;
  req.output_prefix = o.output;
  if (!o.export_history.empty()) req.key_history = o.export_history;
  req.location = app::key_ref_kind(o.key) == app::KeyRefKind::kPkcs11 ? signer::redact_pkcs11_uri(o.key) : o.key;
  req.overwrite = o.force;
  const auto r = app::export_openpgp_certificate(req);
  if (!r) return report_error(r.error());
  std::printf("OpenPGP certificate of %s\n", opened->signer->describe().c_str());
  std::printf("Fingerprint: %s (created %s)\n", r->fingerprint.c_str(), keys::format_rfc3339(r->created).c_str());
  std::printf("Key id: %s\n", opened->key_id.c_str());
  std::printf("Keyring for helm --keyring: %s\nArmored: %s\n", r->binary.c_str(), r->armored.c_str());
  if (r->recorded) std::printf("Recorded in %s\n", o.export_history.c_str());
  return kExitOk;
}

void add_passphrase_option(CLI::App* cmd, Options& o) {
  cmd->add_option("--passphrase-file", o.passphrase_file,
                  "first line is the key's passphrase; else CHARTPROV_PASSWORD or a prompt");
}

}  // namespace

std::function<std::optional<int>()> add_key_lifecycle_commands(CLI::App& key) {
  auto o = std::make_shared<Options>();

  auto* rotate = key.add_subcommand("rotate", "Make the successor of a key and retire it (keeps old charts valid)");
  rotate->add_option("--key", o->key, "the current (active) key: a key file or a pkcs11: URI")->required();
  rotate->add_option("--new-object", o->new_object, "pkcs11: the token label of the successor");
  rotate->add_option("--key-history", o->history, "key history file (default keys.json; created if missing)");
  rotate->add_option("--output", o->output, "PREFIX for the successor: PREFIX.key, PREFIX.pub.gpg, PREFIX.pub.asc")
      ->required();
  rotate->add_option("--uid", o->uid, "user id of the successor (default: the current key's)");
  rotate->add_option("--expires", o->expires, "successor lifetime: 1y, 18m, never (default)");
  add_passphrase_option(rotate, *o);
  rotate->add_option("--new-passphrase-file", o->new_passphrase_file,
                     "passphrase for the successor; else CHARTPROV_NEW_PASSWORD or a prompt");
  rotate->add_flag("--no-passphrase", o->no_passphrase, "write the successor unencrypted");
  rotate->add_flag("--force", o->force, "overwrite existing files");

  auto* revoke = key.add_subcommand("revoke", "Revoke a key in the key history");
  revoke->add_option("key", o->key, "key id (64 hex) or OpenPGP fingerprint")->required();
  revoke->add_option("--key-history", o->history, "key history file (default keys.json)");
  revoke->add_option("--reason", o->reason, "why (recorded)")->required();
  revoke->add_flag("--compromised", o->compromised, "the key leaked: refuse all its signatures, old ones too");
  revoke->add_option("--at", o->at, "revocation time (RFC 3339; default now)");

  auto* backup = key.add_subcommand("backup", "Split a private key into K-of-N Shamir shares");
  backup->add_option("--key", o->key, "key file to back up")->required();
  backup->add_option("--shares", o->shares, "N: shares to write (2..255)")->required();
  backup->add_option("--threshold", o->threshold, "K: shares needed to restore (2..N)")->required();
  backup->add_option("--output", o->output, "PREFIX: writes PREFIX-1 ... PREFIX-N (mode 0600)")->required();
  add_passphrase_option(backup, *o);
  backup->add_flag("--force", o->force, "overwrite existing files");

  auto* restore = key.add_subcommand("restore", "Rebuild a private key from its shares");
  restore->add_option("shares", o->share_files, "share files (at least the threshold)")->required();
  restore->add_option("--output", o->output, "key file to write (mode 0600)")->required();
  restore->add_option("--passphrase-file", o->passphrase_file, "passphrase for the restored key file");
  restore->add_flag("--no-passphrase", o->no_passphrase, "write the restored key unencrypted");
  restore->add_flag("--force", o->force, "overwrite an existing file");

  auto* list = key.add_subcommand("list", "Show the keys chartprov can reach (history, key files, tokens)");
  list->add_option("--key-history", o->histories, "key history file(s)");
  list->add_option("--dir", o->dirs, "directories with key files (*.key)");
  list->add_option("--token", o->tokens,
                   "PKCS#11 token URI, e.g. 'pkcs11:token=ci?module-path=/usr/lib/softhsm/libsofthsm2.so'");
  list->add_flag("--json", o->json, "one JSON object on stdout");

  auto* exp = key.add_subcommand("export", "Export a key's public half for other tools");
  exp->add_flag("--openpgp", o->openpgp, "an OpenPGP certificate for helm's keyring (PREFIX.pub.gpg, PREFIX.pub.asc)");
  exp->add_flag("--pem", o->pem, "the public key as cosign.pub (PEM PUBLIC KEY) to the file --output");
  exp->add_option("--key", o->key, "key file, pkcs11: URI or exec: plugin")->required();
  exp->add_option("--uid", o->uid, "user id, e.g. \"CI Signer <ci@example.com>\" (default: the key file's)");
  exp->add_option("--output", o->output, "PREFIX (--openpgp) or FILE (--pem)")->required();
  exp->add_option("--created", o->created,
                  "OpenPGP creation time (RFC 3339 or unix); the fingerprint depends on it. Default: the key file's, "
                  "the key history's, or now (recorded with --key-history)");
  exp->add_option("--key-history", o->export_history, "keys.json: look up or record the key");
  exp->add_option("--expires", o->expires, "certificate lifetime: 2y, 18m, never (default)");
  add_passphrase_option(exp, *o);
  exp->add_flag("--force", o->force, "overwrite existing files");

  return [o, rotate, revoke, backup, restore, list, exp]() -> std::optional<int> {
    if (exp->parsed()) return run_export(*o);
    if (list->parsed()) return run_list(*o);
    if (rotate->parsed()) return run_rotate(*o);
    if (revoke->parsed()) return run_revoke(*o);
    if (backup->parsed()) return run_backup(*o);
    if (restore->parsed()) return run_restore(*o);
    return std::nullopt;
  };
}

}  // namespace chartprov::cli
