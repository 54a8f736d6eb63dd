#pragma once
// The local trust directory (issue 5): root.json, the trust root this machine
// has accepted, and staged.json, the next version being prepared and signed.
// `trust init` makes version 1; add-key / revoke-key / add-identity /
// revoke-identity / set-sigstore-root / rotate-root edit the staged version;
// `trust sign` adds a root key's signature; `trust update` accepts a new
// version only under the TUF rules (trust/trust_root.hpp) and replaces
// root.json atomically.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/keys/signer_source.hpp"
#include "trust/trust_root.hpp"

namespace chartprov::app {

struct TrustInitRequest {
  std::filesystem::path dir;
  std::vector<const OpenedSigner*> root_keys;  // each signs version 1
  unsigned threshold = 0;                      // 0 = all of them
  std::int64_t expires_after = 365LL * 86400;
  std::int64_t now = 0;
};

// Makes version 1 in `dir` and pins it in this host's trust state (replacing
// any earlier pin for `dir`: whoever makes a root there chose it).
Result<trust::TrustRoot> trust_init(const TrustInitRequest& request);

// root.json, re-checked (its own threshold) and refused when expired, when
// this host has not pinned a root for `dir`, when it is older than the pinned
// version, or the pinned version with other content (app/trust/trust_state_file.hpp);
// a newer version becomes the pin.
[[nodiscard]] Result<trust::TrustRoot> load_trust_dir(const std::filesystem::path& dir, std::int64_t now = 0);

// `trust init --pin`: pins root.json of `dir` (its own threshold, not expired)
// on this host, a fresh host's first step. With `digest` ("sha256:<hex>", from
// `trust show` on a trusted machine), refused unless root.json has it; refused
// for a rollback or a conflict with an existing pin.
[[nodiscard]] Result<trust::TrustRoot> trust_pin(const std::filesystem::path& dir, const std::string& digest,
                                                 std::int64_t now = 0);

struct NewSigningKey {
  std::filesystem::path public_key;  // PEM (cosign.pub) or chartprov's .pub.gpg/.pub.asc
  std::string owner;
  std::vector<std::string> charts;
  std::vector<std::string> environments;
  std::optional<std::int64_t> not_before;  // absent: signatures from any time (the key's own age is unknown here)
  std::optional<std::int64_t> not_after;
};

// Edits of the staged next version (created from root.json when absent).
Status stage_add_key(const std::filesystem::path& dir, const NewSigningKey& key);
Status stage_revoke_key(const std::filesystem::path& dir, const std::string& key_id, std::int64_t at);
Status stage_rotate_root(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& root_public_keys,
                         unsigned threshold);
Status stage_expires(const std::filesystem::path& dir, std::int64_t expires);

// A keyless signer to list (trust/signing_identity.hpp): the subject and the
// issuer each exact, or a regular expression when its *_regexp is set.
struct NewSigningIdentity {
  std::string owner;
  std::string subject;
  bool subject_regexp = false;
  std::string issuer;
  bool issuer_regexp = false;
  std::vector<std::pair<std::string, std::string>> claims;         // Fulcio claim name, value
  std::vector<std::pair<std::string, std::string>> claims_regexp;  // Fulcio claim name, pattern
  std::vector<std::string> charts;
  std::vector<std::string> environments;   // empty: every environment ("*")
  std::optional<std::int64_t> not_before;  // absent: certificates from any time
  std::optional<std::int64_t> not_after;
};

// Which listed identity: the owner and the subject as listed (exact or
// pattern, the same text), and, when that names more than one, the issuer
// and the claims as listed (each compared only when given).
struct IdentitySelector {
  std::string owner;
  std::string subject;
  bool subject_regexp = false;
  std::string issuer;  // "" = any
  bool issuer_regexp = false;
  std::vector<std::pair<std::string, std::string>> claims;         // empty = any
  std::vector<std::pair<std::string, std::string>> claims_regexp;  // empty = any
};

// Lists a keyless signer in the staged version. Refused: no owner, no charts,
// no subject or issuer (usage errors), a claim named twice, the same signer
// (subject, issuer and claims) already listed, and whatever the trust root's
// parser refuses (a bad pattern, an unknown claim, a bad glob: its message).
Status stage_add_identity(const std::filesystem::path& dir, const NewSigningIdentity& identity);
// Marks the one identity `selector` names revoked as of `at` (again, with
// the new time, if it was). Refused: no owner or subject (a usage error),
// none or more than one matches (the message says which options narrow it).
Status stage_revoke_identity(const std::filesystem::path& dir, const IdentitySelector& selector, std::int64_t at);
// Embeds `trusted_root_json` (Sigstore's trusted_root.json) in the staged
// version, replacing any. Refused: an unreadable file or one over
// sigstore::kMaxTrustedRoot, one sigstore::parse_trusted_root refuses (its
// message, with the file), one with a float, a staged document over
// trust::kMaxTrustRoot.
Status stage_sigstore_root(const std::filesystem::path& dir, const std::filesystem::path& trusted_root_json);
// Removes the embedded trusted root. Refused: the staged version has none.
Status stage_clear_sigstore_root(const std::filesystem::path& dir);

// Adds one root key's signature to staged.json; returns how many it has.
Result<unsigned> sign_staged(const std::filesystem::path& dir, const OpenedSigner& root_key);

// Accepts `document` (staged.json of this or another machine) as the next
// version, and pins it in this host's trust state.
Result<trust::TrustRoot> trust_update(const std::filesystem::path& dir, const std::filesystem::path& document,
                                      std::int64_t now = 0);

// The same from a file or a URL: https:// anywhere, http:// only to the
// loopback host (tests, a local mirror); downloads stop past kMaxTrustRoot.
// The document is then judged exactly as a file is: the transport is not trusted.
Result<trust::TrustRoot> trust_update_from(const std::filesystem::path& dir, const std::string& file_or_url,
                                           std::int64_t now = 0);

// A binary OpenPGP keyring of the trust root's active signing keys that have a
// certificate (not revoked, not past not_after; with `environment`, only keys
// that count there): what `helm verify --keyring` and `gpg --keyring` read, so
// the trust root is the one place their keys come from too. Written
// atomically (0644); an existing file only with `force`. Returns how many keys.
// Note: helm and gpg do not apply the trust root's chart scopes or windows.
Result<std::size_t> export_trust_keyring(const std::filesystem::path& dir, const std::filesystem::path& output,
                                         const std::string& environment, bool force, std::int64_t now = 0);

}  // namespace chartprov::app
