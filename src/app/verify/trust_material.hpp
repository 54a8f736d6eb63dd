#pragma once
// The trust material of one run, loaded once: a trust root directory, or an
// OpenPGP keyring and/or one public key (with a Sigstore trusted root for
// bundle log entries and a key history for windows and revocations). Every
// decision of the run (one verify, each chart of verify-repo, each request
// of serve until its next reload, the deploy gate) reads this, never the
// files again.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/pkey.hpp"
#include "keys/key_history.hpp"
#include "openpgp/keyring.hpp"
#include "policy/identity.hpp"
#include "trust/trust_root.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// Where trusted keys come from: a trust dir, or a keyring and/or a key.
struct TrustSource {
  std::optional<std::filesystem::path> trust_dir;     // trust root (root.json)
  std::optional<std::filesystem::path> keyring;       // OpenPGP keyring: .prov only
  std::optional<std::filesystem::path> key;           // one public key: .sig, bundle, .prov by key material
  std::optional<std::filesystem::path> key_history;   // with keyring/key: windows and revocations
  std::optional<std::filesystem::path> trusted_root;  // Sigstore trusted_root.json for bundle log entries
  // Keyless: the one certificate identity trusted (verify --certificate-identity),
  // with trusted_root and no other source.
  std::optional<policy::IdentityRequirement> identity;
  bool use_keyring_cache = true;
};

struct TrustMaterial {
  TrustSource source;  // what was loaded (paths, for reports and the registry path)
  std::optional<trust::TrustRoot> trust_root;
  std::optional<openpgp::Keyring> keyring;  // its OpenSSL keys built once
  std::optional<crypto::PKey> key;
  std::string key_id;  // the key's SPKI SHA-256 hex, with `key`
  std::optional<keys::KeyHistory> history;
  // --trusted-root, else the trust root's embedded one (trust set-sigstore-root).
  std::optional<sigstore::TrustedRoot> sigstore_root;
  std::optional<policy::IdentityRequirement> identity;  // the pinned keyless signer

  // What the decisions trusted, for reports: "trust root v7", "keyring F", "key F".
  std::string label() const;
  // Material loaded earlier and used at `now` (serve between reloads): a
  // trust root that has expired since is refused, as loading it would be.
  [[nodiscard]] Status check_current(std::int64_t now) const;
};

// Refuses (usage error) a source that is not exactly one of: a trust dir, or
// a keyring and/or a key.
[[nodiscard]] Status check_one_trust_source(const TrustSource& source);

// Refusals: not exactly one source (a trust dir, or a keyring and/or a key:
// usage error); a trust root that does not check out or has expired at
// `now`; an unreadable or malformed keyring, key, key history or trusted root
// (input errors, naming the file). now = 0: the clock.
Result<TrustMaterial> load_trust_material(const TrustSource& source, std::int64_t now);

}  // namespace chartprov::app
