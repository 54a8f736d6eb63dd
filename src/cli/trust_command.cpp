// `chartprov trust init|add-key|revoke-key|add-identity|revoke-identity|set-sigstore-root|
// clear-sigstore-root|rotate-root|expires|sign|update|show|export-keyring`:
// the trust root, prepared, signed by a threshold of root keys, and accepted
// under the TUF rules (app/trust/trust_store.hpp, docs/TRUST.md); `trust init --pin`
// pins an existing root on a fresh host (app/trust/trust_state_file.hpp).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app/keys/keygen.hpp"
#include "app/trust/trust_state_file.hpp"
#include "app/trust/trust_store.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/sign_external_command.hpp"
#include "cli/trust_state_option.hpp"
#include "infra/openssl/digest.hpp"
#include "util/clock.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::cli {
namespace {

struct TrustOptions {
  std::string dir = "trust";
  std::vector<std::string> root_keys;
  unsigned threshold = 0;
  std::string expires = "1y";
  std::string passphrase_file;
  // init --pin
  bool pin = false;
  std::string digest;
  // add-key
  std::string public_key, owner, not_before, not_after;
  std::vector<std::string> charts, envs;
  // revoke-key
  std::string key_id, at;
  // add-identity, revoke-identity
  std::string identity, identity_regexp, issuer, issuer_regexp;
  std::vector<std::string> claims, claims_regexp;
  // set-sigstore-root
  std::string trusted_root;
  // rotate-root
  std::vector<std::string> new_roots;
  // update
  std::string from;
  // export-keyring
  std::string output, env;
  bool force = false;
};

Result<app::OpenedSigner> open_root_key(const std::string& ref, const std::string& passphrase_file) {
  return app::open_signer(ref, [&](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, passphrase_file);
  });
}

Result<std::int64_t> expiry_from(const std::string& text) {
  TRY(const auto duration, app::parse_duration(text));
  if (!duration) return usage_error("a trust root must expire (e.g. --expires 1y)");
  return unix_now() + *duration;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// --claim NAME=VALUE, each split at its first "=".
Result<std::vector<std::pair<std::string, std::string>>> claim_pairs(const std::vector<std::string>& given,
                                                                     const char* option) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& g : given) {
    const auto eq = g.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error(std::string(option) + ": give NAME=VALUE, not " + g);
    out.emplace_back(g.substr(0, eq), g.substr(eq + 1));
  }
  return out;
}

Result<std::optional<std::int64_t>> optional_time(const std::string& text, const char* option) {
  if (text.empty()) return std::optional<std::int64_t>();
  auto t = parse_rfc3339(text);
  if (!t) return usage_error(std::string(option) + ": " + t.error().message);
  return std::optional<std::int64_t>(*t);
}

void print_identities(const trust::TrustRoot& r) {
  for (const auto& i : r.signing_identities) {
    std::printf("  identity %s owner=%s charts=%s envs=%s%s\n", i.identity.describe().c_str(), i.owner.c_str(),
                joined(i.allowed_charts).c_str(), joined(i.allowed_environments).c_str(),
                i.revoked ? (" REVOKED at " + format_rfc3339(*i.revoked_at)).c_str() : "");
  }
  if (!r.sigstore_trusted_root.empty()) {
    std::printf("  sigstore trusted_root.json %s (canonical)\n",
                crypto::sha256_digest(as_bytes(r.sigstore_trusted_root)).c_str());
  }
}

void print_root(const trust::TrustRoot& r) {
  std::printf("version %lld, expires %s, %u of %zu root keys\n", static_cast<long long>(r.version),
              format_rfc3339(r.expires).c_str(), r.root_threshold, r.root_keys.size());
  std::printf("  digest  %s\n", trust::root_digest(r).c_str());
  for (const auto& k : r.root_keys) std::printf("  root    %s %s\n", k.key_id.c_str(), k.algorithm.c_str());
  for (const auto& k : r.signing_keys) {
    std::printf("  signer  %s %s owner=%s charts=%s envs=%s%s%s\n", k.key.key_id.c_str(), k.key.algorithm.c_str(),
                k.owner.c_str(), joined(k.allowed_charts).c_str(), joined(k.allowed_environments).c_str(),
                k.openpgp_certificate.empty() ? "" : (" openpgp=" + k.openpgp_fingerprint).c_str(),
                k.revoked ? (" REVOKED at " + format_rfc3339(*k.revoked_at)).c_str() : "");
  }
  print_identities(r);
}

int run_init(const TrustOptions& o) {
  if (!o.digest.empty()) return report_error(usage_error("--digest goes with --pin"));
  std::vector<app::OpenedSigner> opened;
  for (const auto& ref : o.root_keys) {
    auto s = open_root_key(ref, o.passphrase_file);
    if (!s) return report_error(s.error());
    opened.push_back(std::move(*s));
  }
  auto expires = app::parse_duration(o.expires);
  if (!expires || !*expires) return report_error(usage_error("--expires: e.g. 1y, 6m"));
  app::TrustInitRequest req;
  req.dir = o.dir;
  for (const auto& s : opened) req.root_keys.push_back(&s);
  req.threshold = o.threshold;
  req.expires_after = **expires;
  const auto r = app::trust_init(req);
  if (!r) return report_error(r.error());
  std::printf("Trust root %s/root.json: ", o.dir.c_str());
  print_root(*r);
  return kExitOk;
}

// A fresh host's first step: this root.json (checked on its own signatures,
// and against --digest when given) becomes the version this host accepts.
int run_pin(const TrustOptions& o) {
  const auto r = app::trust_pin(o.dir, o.digest);
  if (!r) return report_error(r.error());
  const auto state = app::trust_state_path();
  std::printf("Pinned trust root %s/root.json on this host (state %s): ", o.dir.c_str(), state ? state->c_str() : "?");
  print_root(*r);
  return kExitOk;
}

int staged_done(const Status& s, const TrustOptions& o) {
  if (!s) return report_error(s.error());
  std::printf(
      "Staged the next version in %s/staged.json; sign it with a threshold of root keys "
      "(chartprov trust sign --trust-dir %s --root-key KEY), then: chartprov trust update --trust-dir %s "
      "--from %s/staged.json\n",
      o.dir.c_str(), o.dir.c_str(), o.dir.c_str(), o.dir.c_str());
  return kExitOk;
}

int run_add_identity(const TrustOptions& o) {
  app::NewSigningIdentity id;
  id.owner = o.owner;
  id.subject_regexp = !o.identity_regexp.empty();
  id.subject = id.subject_regexp ? o.identity_regexp : o.identity;
  id.issuer_regexp = !o.issuer_regexp.empty();
  id.issuer = id.issuer_regexp ? o.issuer_regexp : o.issuer;
  auto claims = claim_pairs(o.claims, "--claim");
  if (!claims) return report_error(claims.error());
  id.claims = std::move(*claims);
  auto claims_regexp = claim_pairs(o.claims_regexp, "--claim-regexp");
  if (!claims_regexp) return report_error(claims_regexp.error());
  id.claims_regexp = std::move(*claims_regexp);
  id.charts = o.charts;
  id.environments = o.envs;
  auto not_before = optional_time(o.not_before, "--not-before");
  if (!not_before) return report_error(not_before.error());
  id.not_before = *not_before;
  auto not_after = optional_time(o.not_after, "--not-after");
  if (!not_after) return report_error(not_after.error());
  id.not_after = *not_after;
  return staged_done(app::stage_add_identity(o.dir, id), o);
}

int run_revoke_identity(const TrustOptions& o) {
  app::IdentitySelector sel;
  sel.owner = o.owner;
  sel.subject_regexp = !o.identity_regexp.empty();
  sel.subject = sel.subject_regexp ? o.identity_regexp : o.identity;
  sel.issuer_regexp = !o.issuer_regexp.empty();
  sel.issuer = sel.issuer_regexp ? o.issuer_regexp : o.issuer;
  auto claims = claim_pairs(o.claims, "--claim");
  if (!claims) return report_error(claims.error());
  sel.claims = std::move(*claims);
  auto claims_regexp = claim_pairs(o.claims_regexp, "--claim-regexp");
  if (!claims_regexp) return report_error(claims_regexp.error());
  sel.claims_regexp = std::move(*claims_regexp);
  auto at = optional_time(o.at, "--at");
  if (!at) return report_error(at.error());
  return staged_done(app::stage_revoke_identity(o.dir, sel, at->value_or(unix_now())), o);
}

// --identity/--identity-regexp, --issuer/--issuer-regexp and the claims, on add-identity and revoke-identity.
void identity_options(CLI::App* c, TrustOptions& o, const char* purpose) {
  c->add_option("--owner", o.owner, "who the signer is (team, CI system)")->required();
  auto* exact = c->add_option("--identity", o.identity,
                              std::string("the certificate's subject (SAN: workflow URI or email), exact") + purpose);
  c->add_option("--identity-regexp", o.identity_regexp, "the same as a regular expression matching all of it")
      ->excludes(exact);
  auto* issuer = c->add_option("--issuer", o.issuer, "the OIDC issuer, exact");
  c->add_option("--issuer-regexp", o.issuer_regexp, "the OIDC issuer as a regular expression")->excludes(issuer);
  c->add_option("--claim", o.claims, "NAME=VALUE: a Fulcio claim it must carry (source-repository-ref=...); repeat");
  c->add_option("--claim-regexp", o.claims_regexp, "NAME=PATTERN: a Fulcio claim matching a regular expression");
}

}  // namespace

Runner add_trust_command(CLI::App& app) {
  auto o = std::make_shared<TrustOptions>();
  auto* trust =
      app.add_subcommand("trust", "The trust root: which keys may sign which charts (signed, versioned, expiring)");
  trust->require_subcommand(1);
  const auto dir_option = [&](CLI::App* c) {
    c->add_option("--trust-dir,--output", o->dir, "the trust directory (root.json, staged.json); default ./trust");
    c->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  };
  auto* init = trust->add_subcommand(
      "init", "Make version 1, signed by every --root-key; or, with --pin, pin an existing root.json on this host");
  dir_option(init);
  auto* root_key_option =
      init->add_option("--root-key", o->root_keys, "a root key (key file, cosign.key, pkcs11:, exec:); repeat");
  init->add_flag("--pin", o->pin,
                 "pin the trust directory's root.json on this host (a fresh host's first step) instead of making one")
      ->excludes(root_key_option);
  init->add_option("--digest", o->digest,
                   "with --pin: the root's digest (sha256:..., from trust show), required to match");
  init->add_option("--threshold", o->threshold, "root signatures an update needs (default: all root keys)");
  init->add_option("--expires", o->expires, "lifetime (default 1y)");
  init->add_option("--passphrase-file", o->passphrase_file, "passphrase of the root key files");

  auto* add_key = trust->add_subcommand("add-key", "Stage a signing key: who owns it, which charts and environments");
  dir_option(add_key);
  add_key->add_option("--key", o->public_key, "its public key: PEM (cosign.pub) or OpenPGP certificate (.pub.gpg/.asc)")
      ->required();
  add_key->add_option("--owner", o->owner, "who holds it (team, CI system)")->required();
  add_key->add_option("--charts", o->charts, "chart name globs it may sign ('*' = any)")->required();
  add_key->add_option("--envs", o->envs, "environments it counts for (default: all)");
  add_key->add_option("--not-before", o->not_before, "start of its validity (RFC 3339; default: none)");
  add_key->add_option("--not-after", o->not_after, "end of its validity (RFC 3339)");

  auto* revoke = trust->add_subcommand("revoke-key", "Stage the revocation of a signing key");
  dir_option(revoke);
  revoke->add_option("key_id", o->key_id, "its key id (64 hex)")->required();
  revoke->add_option("--at", o->at, "revocation time (RFC 3339; default now)");

  auto* add_identity = trust->add_subcommand(
      "add-identity", "Stage a keyless signer (a Fulcio certificate identity): which charts and environments");
  dir_option(add_identity);
  identity_options(add_identity, *o, "");
  add_identity->add_option("--charts", o->charts, "chart name globs it may sign ('*' = any)")->required();
  add_identity->add_option("--envs", o->envs, "environments it counts for (default: all)");
  add_identity->add_option("--not-before", o->not_before, "start of its validity (RFC 3339; default: none)");
  add_identity->add_option("--not-after", o->not_after, "end of its validity (RFC 3339)");

  auto* revoke_identity = trust->add_subcommand(
      "revoke-identity", "Stage the revocation of a keyless signer, named by its owner and identity as listed");
  dir_option(revoke_identity);
  identity_options(revoke_identity, *o, ", as listed");
  revoke_identity->add_option("--at", o->at, "revocation time (RFC 3339; default now)");

  auto* set_sigstore = trust->add_subcommand(
      "set-sigstore-root", "Stage Sigstore's trusted_root.json (Fulcio CAs, Rekor logs, TSAs) for keyless bundles");
  dir_option(set_sigstore);
  set_sigstore->add_option("trusted_root", o->trusted_root, "the trusted_root.json file")->required();

  auto* clear_sigstore =
      trust->add_subcommand("clear-sigstore-root", "Stage the removal of the embedded Sigstore trusted root");
  dir_option(clear_sigstore);

  auto* rotate = trust->add_subcommand("rotate-root", "Stage new root keys (the old threshold must still sign)");
  dir_option(rotate);
  rotate->add_option("--new-root-key", o->new_roots, "public key of a new root key; repeat")->required();
  rotate->add_option("--threshold", o->threshold, "signatures the new roots need (default: all)");

  auto* expires = trust->add_subcommand("expires", "Stage a new expiry (renewal)");
  dir_option(expires);
  expires->add_option("--expires", o->expires, "lifetime from now (e.g. 1y)");

  auto* sign = trust->add_subcommand("sign", "Add a root key's signature to the staged version");
  dir_option(sign);
  sign->add_option("--root-key", o->root_keys, "the root key (key file, cosign.key, pkcs11:, exec:)")->required();
  sign->add_option("--passphrase-file", o->passphrase_file, "passphrase of the root key file");

  auto* update = trust->add_subcommand("update", "Accept a new version (TUF rules: +1, thresholds, not expired)");
  dir_option(update);
  update
      ->add_option("--from", o->from,
                   "the new version: a file, or an https:// URL (http:// only to 127.0.0.1/localhost); at most "
                   "1 MiB, refused while downloading past that")
      ->required();

  auto* show = trust->add_subcommand("show", "Print the accepted trust root");
  dir_option(show);

  auto* export_ring = trust->add_subcommand(
      "export-keyring", "Write the active signing keys' OpenPGP certificates as a keyring for helm --keyring and gpg");
  export_ring->add_option("--trust-dir", o->dir, "the trust directory (root.json); default ./trust");
  export_ring->add_option_function<std::string>("--trust-state", use_trust_state_file, kTrustStateHelp);
  export_ring->add_option("--keyring-out,-o", o->output, "the keyring file to write (binary OpenPGP)")->required();
  export_ring->add_option("--env", o->env, "only keys that count for this environment");
  export_ring->add_flag("--force", o->force, "replace an existing file");

  return [=]() {
    if (init->parsed()) return o->pin ? run_pin(*o) : run_init(*o);
    if (add_key->parsed()) {
      app::NewSigningKey k;
      k.public_key = o->public_key;
      k.owner = o->owner;
      k.charts = o->charts;
      k.environments = o->envs;
      if (!o->not_before.empty()) {
        auto t = parse_rfc3339(o->not_before);
        if (!t) return report_error(usage_error("--not-before: " + t.error().message));
        k.not_before = *t;
      }
      if (!o->not_after.empty()) {
        auto t = parse_rfc3339(o->not_after);
        if (!t) return report_error(usage_error("--not-after: " + t.error().message));
        k.not_after = *t;
      }
      return staged_done(app::stage_add_key(o->dir, k), *o);
    }
    if (revoke->parsed()) {
      std::int64_t at = unix_now();
      if (!o->at.empty()) {
        auto t = parse_rfc3339(o->at);
        if (!t) return report_error(usage_error("--at: " + t.error().message));
        at = *t;
      }
      return staged_done(app::stage_revoke_key(o->dir, o->key_id, at), *o);
    }
    if (add_identity->parsed()) return run_add_identity(*o);
    if (revoke_identity->parsed()) return run_revoke_identity(*o);
    if (set_sigstore->parsed()) return staged_done(app::stage_sigstore_root(o->dir, o->trusted_root), *o);
    if (clear_sigstore->parsed()) return staged_done(app::stage_clear_sigstore_root(o->dir), *o);
    if (rotate->parsed()) {
      std::vector<std::filesystem::path> keys(o->new_roots.begin(), o->new_roots.end());
      return staged_done(app::stage_rotate_root(o->dir, keys, o->threshold), *o);
    }
    if (expires->parsed()) {
      auto when = expiry_from(o->expires);
      if (!when) return report_error(when.error());
      return staged_done(app::stage_expires(o->dir, *when), *o);
    }
    if (sign->parsed()) {
      if (o->root_keys.size() != 1) return report_error(usage_error("sign with one --root-key at a time"));
      auto key = open_root_key(o->root_keys[0], o->passphrase_file);
      if (!key) return report_error(key.error());
      auto n = app::sign_staged(o->dir, *key);
      if (!n) return report_error(n.error());
      std::printf("Signed %s/staged.json with %s (%u signature%s now)\n", o->dir.c_str(), key->key_id.c_str(), *n,
                  *n == 1 ? "" : "s");
      return kExitOk;
    }
    if (export_ring->parsed()) {
      auto n = app::export_trust_keyring(o->dir, o->output, o->env, o->force);
      if (!n) return report_error(n.error());
      std::printf(
          "Wrote %zu OpenPGP certificate%s to %s (helm and gpg check signatures only: chart scopes, "
          "environments and windows are chartprov's)\n",
          *n, *n == 1 ? "" : "s", o->output.c_str());
      return kExitOk;
    }
    if (update->parsed()) {
      auto r = app::trust_update_from(o->dir, o->from);
      if (!r) return report_error(r.error());
      std::printf("Accepted trust root ");
      print_root(*r);
      return kExitOk;
    }
    if (show->parsed()) {
      auto r = app::load_trust_dir(o->dir);
      if (!r) return report_error(r.error());
      print_root(*r);
      return kExitOk;
    }
    return kExitError;
  };
}

}  // namespace chartprov::cli
