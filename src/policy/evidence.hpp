#pragma once
// Evidence: everything gathered for one chart before any policy is applied
// (DESIGN "The words"): its identity, and what every envelope found beside
// it (or in its registry) verified to. Pure data; app/ gathers it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/expiry.hpp"
#include "policy/identity.hpp"

namespace chartprov::policy {

// What one envelope came to: the one typed verdict every judge gives (the
// .prov's, the cosign blob's, the Sigstore bundle's, the OCI signatures').
// good: a trusted key verified it inside its scope. Anything else does not
// count.
enum class Verdict : std::uint8_t {
  good,
  bad,           // does not verify, or is not about this chart
  unknown_key,   // signed by a key that is not trusted here
  out_of_scope,  // a trusted key, outside the charts, environments or window it may sign
  revoked,       // a trusted key, revoked before the signature
  expired,       // a trusted key, expired before the signature
  error,         // the envelope could not be read
};

// The verdict's name in JSON and reasons: good, bad, unknown-key, out-of-scope, revoked, expired, error.
constexpr std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::good: return "good";
    case Verdict::bad: return "bad";
    case Verdict::unknown_key: return "unknown-key";
    case Verdict::out_of_scope: return "out-of-scope";
    case Verdict::revoked: return "revoked";
    case Verdict::expired: return "expired";
    case Verdict::error: return "error";
  }
  return "bad";
}

// A verified transparency-log entry of an envelope (a Rekor entry, or one of
// chartprov's own log: issue 17).
struct LogInclusion {
  std::string log_id;      // lower-case hex of the entry's logId.keyId
  std::string origin;      // the log's origin: its trusted-root baseUrl's host
  std::string base_url;    // the trusted root's baseUrl (where its tiles are read)
  std::string checkpoint;  // the signed checkpoint its inclusion proof ends in ("" for a SET-only entry)
  std::uint64_t tree_size = 0;
  // The witness vkeys (as the policy writes them) whose C2SP cosignature on
  // the checkpoint verified: app/verify fills this for the keys a policy
  // lists (log_requirement.hpp).
  std::vector<std::string> witnesses;
};

struct EnvelopeEvidence {
  std::string format;  // prov | cosign-blob | sigstore-bundle | oci-cosign
  std::string source;  // file path or registry location
  Verdict verdict = Verdict::bad;
  // Who signed. One key has one key id whatever the envelope (.prov, .sig,
  // bundle): the SHA-256 of its canonical SPKI. An OpenPGP subkey also names
  // its certificate's primary key: a signer is a key owner, and a subkey's
  // signature is its certificate's.
  std::string key_id;               // SPKI SHA-256 hex, when the key is known
  std::string fingerprint;          // OpenPGP fingerprint (lower case), when there is one
  std::string primary_key_id;       // a subkey's primary key: its SPKI SHA-256 hex
  std::string primary_fingerprint;  // a subkey's primary key: its OpenPGP fingerprint
  std::string owner;  // from the trust root; with --keyring the first user id (Evidence::owners_are_claims)
  // A keyless (certificate) signature: who the verified certificate names.
  // Such an envelope has no trusted key; it is good only when the trust
  // material accepts the identity (a trust root's identities, or the
  // identity the command line pins).
  std::optional<SignerIdentity> identity;
  std::optional<std::int64_t> signed_at;       // .prov creation time, log integration time
  bool in_transparency_log = false;            // a verified log entry (bundles)
  std::vector<LogInclusion> log_entries;       // the verified log entries (bundles, a .prov's side file)
  std::optional<std::int64_t> key_expires_at;  // the key's end of validity (not_after, OpenPGP expiry), if any
  std::string reason;                          // why it does not count
  bool good() const { return verdict == Verdict::good; }
};

// The predicate type of SLSA provenance v1, whose fields a policy can require.
inline constexpr std::string_view kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

// A build-provenance attestation found for the chart (chartprov attest,
// docs/POLICY.md#attestations): a signed in-toto statement. `envelope` is
// who signed it and how that was judged, as for any envelope (format
// "attestation"), whoever vouched for it (a key, the trust root, a keyless
// certificate). It is good only when the signature counts and the
// statement names the chart's digest; the statement's facts below are
// filled only then (an unverified statement is no fact).
struct AttestationEvidence {
  EnvelopeEvidence envelope;
  std::string predicate_type;
  // SLSA provenance v1: runDetails.builder.id, buildDefinition.buildType and
  // the workflow of buildDefinition.externalParameters (GitHub's build type:
  // repository, ref, path). Empty for other predicate types, or when absent.
  std::string builder_id, build_type, source_repository, source_ref, workflow_path;
  bool good() const { return envelope.good(); }
};

struct Evidence {
  std::string chart;                  // what the user named: a path or an oci:// reference
  std::string name, version, digest;  // digest: "sha256:<hex>" of the chart bytes
  std::string trust_source;           // "trust root v7", "keyring FILE", "key FILE"
  std::vector<EnvelopeEvidence> envelopes;
  // Attestations are not signatures of the chart: they never count towards
  // a rule's signers; a rule's attestations: requires them.
  std::vector<AttestationEvidence> attestations;
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
