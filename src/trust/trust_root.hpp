#pragma once
// The trust root (DESIGN "trust root", issue 5): a signed, versioned,
// expiring document that says which public keys may sign which charts for
// which environments, until when, and which are revoked. Updates follow TUF's
// root rotation: version N+1 must be signed by a threshold of version N's
// root keys and by a threshold of its own, must not be expired, and nothing
// else (older, skipped, or re-signed versions) is accepted.
//
//   {"signed": {"_type": "chartprov-trust-root", "version": 1, "expires": "RFC 3339",
//               "root_threshold": 2, "root_keys": [{"key_id", "algorithm", "public_key"}],
//               "signing_keys": [{"key_id", "algorithm", "public_key", "openpgp_fingerprint",
//                                 "openpgp_certificate", "owner", "allowed_charts", "allowed_environments",
//                                 "not_before", "not_after", "status", "revoked_at"}],
//               "signing_identities": [trust/signing_identity.hpp],
//               "sigstore_trusted_root": {Sigstore's trusted_root.json}},
//    "signatures": [{"key_id": "<hex>", "sig": "<base64>"}]}
//
// Signatures are over the canonical form of "signed": keys sorted, no
// insignificant whitespace, integers only: the keyless signers and the
// Sigstore trusted root are under the same threshold as the keys.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "signer/signer.hpp"
#include "trust/signing_identity.hpp"
#include "util/result.hpp"

namespace chartprov::trust {

inline constexpr std::size_t kMaxTrustRoot = 1u << 20;  // an endless document is refused unread
inline constexpr std::size_t kMaxKeys = 1000;

struct PublicKeyEntry {
  std::string key_id;  // hex SHA-256 of the SPKI; must match public_key
  std::string algorithm;
  std::string public_key_pem;
  crypto::PKey key;
};

struct SigningKey {
  PublicKeyEntry key;
  std::string openpgp_fingerprint;
  // The armored OpenPGP certificate (transferable public key) when the key has
  // one: its primary key is `key` and its fingerprint openpgp_fingerprint, so
  // keyrings for helm and gpg can be made from the trust root.
  std::string openpgp_certificate;
  std::string owner;
  std::vector<std::string> allowed_charts;        // globs; empty = none
  std::vector<std::string> allowed_environments;  // names or "*"
  std::int64_t not_before = 0;
  std::optional<std::int64_t> not_after;
  bool revoked = false;
  std::optional<std::int64_t> revoked_at;

  // Whether its signatures count for `environment` (listed, or "*").
  bool counts_for(std::string_view environment) const;
};

struct TrustRoot {
  std::int64_t version = 0;
  std::int64_t expires = 0;
  unsigned root_threshold = 1;
  std::vector<PublicKeyEntry> root_keys;
  std::vector<SigningKey> signing_keys;
  std::vector<SigningIdentity> signing_identities;  // keyless signers (Fulcio certificate identities)
  // The embedded trusted_root.json (Sigstore's CAs, logs and timestamp
  // authorities for keyless bundles), as canonical JSON text; "" when absent.
  std::string sigstore_trusted_root;
  std::string canonical_signed;  // the bytes the signatures cover

  const SigningKey* find_signing_key(std::string_view key_id) const;
};

struct Signature {
  std::string key_id;
  Bytes sig;
};

struct SignedTrustRoot {
  TrustRoot root;
  std::vector<Signature> signatures;
};

// Structure only (no signature is checked here). Refused: a text over
// kMaxTrustRoot, nesting deeper than kMaxNestingDepth, not JSON, a float
// anywhere in "signed", an unknown field, a malformed key, certificate or
// identity (trust/signing_identity.hpp), a key or identity listed twice, a
// "sigstore_trusted_root" that is not an object sigstore::parse_trusted_root
// accepts.
Result<SignedTrustRoot> parse_trust_root(std::string_view text);
// The document with these signatures; `signed_json` is the canonical "signed".
std::string serialize_trust_root(std::string_view canonical_signed, const std::vector<Signature>& signatures);

// How many distinct keys of `keys` made a valid signature over the root's
// canonical bytes (a key listed twice or signing twice counts once).
unsigned count_valid_signatures(const SignedTrustRoot& doc, const std::vector<PublicKeyEntry>& keys);

// First use (trust on first use of a file the operator chose): the document
// must be signed by a threshold of its own root keys and not expired.
Result<TrustRoot> accept_initial(std::string_view json, std::int64_t now);

// An update of `current`: exactly version + 1, a threshold of current's root
// keys and of its own, not expired. Every refusal names the attack it stops.
Result<TrustRoot> accept_update(const TrustRoot& current, std::string_view json, std::int64_t now);

// Signs canonical_signed with a root key (signer::Signer: file, HSM, KMS).
Result<Signature> sign_trust_root(std::string_view canonical_signed, const signer::Signer& root_key);

}  // namespace chartprov::trust
