#pragma once
// Evidence: everything gathered for one chart before any policy is applied
// (DESIGN "The words"): its identity, and what every envelope found beside
// it (or in its registry) verified to. Pure data; app/ gathers it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/expiry.hpp"

namespace chartprov::policy {

struct EnvelopeEvidence {
  std::string format;  // prov | cosign-blob | sigstore-bundle | oci-cosign
  std::string source;  // file path or registry location
  // good: a trusted key verified it inside its scope. Anything else does not
  // count: bad, unknown-key, out-of-scope, revoked, expired, error.
  std::string status;
  // Who signed. One key has one key id whatever the envelope (.prov, .sig,
  // bundle): the SHA-256 of its canonical SPKI. An OpenPGP subkey also names
  // its certificate's primary key: a signer is a key owner, and a subkey's
  // signature is its certificate's.
  std::string key_id;               // SPKI SHA-256 hex, when the key is known
  std::string fingerprint;          // OpenPGP fingerprint (lower case), when there is one
  std::string primary_key_id;       // a subkey's primary key: its SPKI SHA-256 hex
  std::string primary_fingerprint;  // a subkey's primary key: its OpenPGP fingerprint
  std::string owner;  // from the trust root; with --keyring the first user id (Evidence::owners_are_claims)
  std::optional<std::int64_t> signed_at;       // .prov creation time, log integration time
  bool in_transparency_log = false;            // a verified log entry (bundles)
  std::optional<std::int64_t> key_expires_at;  // the key's end of validity (not_after, OpenPGP expiry), if any
  std::string reason;                          // why it does not count
  bool good() const { return status == "good"; }
};

struct Evidence {
  std::string chart;                  // what the user named: a path or an oci:// reference
  std::string name, version, digest;  // digest: "sha256:<hex>" of the chart bytes
  std::string trust_source;           // "trust root v7", "keyring FILE", "key FILE"
  std::vector<EnvelopeEvidence> envelopes;
  // --keyring: an owner is the certificate's first user id, which any key can
  // claim. It is shown, but never names a signer: rules that name signers by
  // name are refused, and signers are told apart by key alone.
  bool owners_are_claims = false;
  // When the trust material this evidence relied on ends: the trust root's
  // `expires`, and each key whose signature is good. For expiry warnings.
  std::vector<Expiry> expiries;
  // Problems found before any envelope could be judged (unreadable archive,
  // no envelope at all, registry errors). Each one is a reason to deny.
  std::vector<std::string> problems;
};

}  // namespace chartprov::policy
