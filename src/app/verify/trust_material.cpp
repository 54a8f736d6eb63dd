#include "app/verify/trust_material.hpp"

#include "app/keys/key_history_file.hpp"
#include "app/sign/blob_signer.hpp"
#include "app/trust/trust_store.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/keyring_loader.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/clock.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {

std::string TrustMaterial::label() const {
  if (trust_root) return "trust root v" + std::to_string(trust_root->version);
  if (identity) return "identity " + identity->describe();
  return source.keyring ? "keyring " + source.keyring->string() : "key " + source.key->string();
}

Status TrustMaterial::check_current(std::int64_t now) const {
  if (!trust_root || trust_root->expires > now) return ok_status();
  return verify_error((*source.trust_dir / "root.json").string() + ": the trust root expired at " +
                      format_rfc3339(trust_root->expires) + " (freeze attack, or renew it)");
}

Status check_one_trust_source(const TrustSource& source) {
  const int sources = (source.trust_dir ? 1 : 0) + (source.keyring || source.key ? 1 : 0) + (source.identity ? 1 : 0);
  if (sources != 1) {
    return usage_error(
        "give exactly one source of trusted signers: --trust-dir, --keyring and/or --key, or "
        "--certificate-identity with --trusted-root");
  }
  if (source.identity && !source.trusted_root) {
    return usage_error("--certificate-identity needs --trusted-root (the Sigstore trusted_root.json)");
  }
  return ok_status();
}

Result<TrustMaterial> load_trust_material(const TrustSource& source, std::int64_t now) {
  TRY_STATUS(check_one_trust_source(source));
  now = now_or(now);
  TrustMaterial m;
  m.source = source;
  if (source.trust_dir) {
    TRY(m.trust_root, load_trust_dir(*source.trust_dir, now));
  }
  if (source.trusted_root) {
    if (m.trust_root && !m.trust_root->sigstore_trusted_root.empty()) {
      return usage_error("the trust root carries its own Sigstore trusted root: --trusted-root does not apply");
    }
    TRY(m.sigstore_root, load_trusted_root(*source.trusted_root));
  } else if (m.trust_root && !m.trust_root->sigstore_trusted_root.empty()) {
    auto embedded = sigstore::parse_trusted_root(m.trust_root->sigstore_trusted_root);
    if (!embedded) return embedded.error().with_context("the trust root's sigstore_trusted_root");
    m.sigstore_root = std::move(*embedded);
  }
  m.identity = source.identity;
  if (source.keyring) {
    TRY(m.keyring, load_keyring(*source.keyring, KeyringLoadOptions{source.use_keyring_cache}));
    build_openssl_keys(*m.keyring);  // once for every signature of the run
  }
  if (source.key) {
    TRY(m.key, load_public_key(*source.key));
    TRY(m.key_id, crypto::spki_key_id(*m.key));
  }
  if (source.key_history && source.keyring) {  // the .prov's signers; oci:// reads the file itself
    TRY(m.history, load_key_history(*source.key_history));
  }
  return m;
}

}  // namespace chartprov::app
