#pragma once
// One log entry judged against the trust root (issue 17, the monitor): who
// signed it, and whether the trust root lets that signer sign that chart at
// the log's time.
//
//  - a hashedrekord entry with a public key: the trust root's signing key
//    whose key id (SHA-256 of the canonical SPKI, crypto::spki_key_id) it is;
//  - one with a certificate: the trust root's signing identities that match
//    the identity the certificate names (sigstore::certificate_identity):
//    the first that allows the entry wins, else the first that matches
//    gives its refusal. The certificate's chain is not checked here (the log
//    checked the signature with it, verifiers check the chain): a monitor
//    judges whom an entry claims;
//  - a helmprov entry: the signing key whose openpgp_fingerprint is the
//    primary key fingerprint of the certificate the entry carries.
//
// A listed signer is judged as verification judges it (app/verify
// scope_refusal), by the entry's time (the log's clock when it sequenced
// it): revoked at or before that time, then a chart outside its
// allowed_charts, then a time outside [not_before, not_after]. Environments
// cannot be judged: an entry does not say where the chart is deployed.
//
// An entry whose signer the trust root does not list is a finding only for
// a *watched* chart: one whose name matches an allowed_charts glob of some
// listed key or identity, or one of the extra globs given.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "tlog/chart_entry.hpp"
#include "trust/trust_root.hpp"

namespace chartprov::app::log {

enum class EntryFinding {
  allowed,                  // a listed signer, within its charts, window and not revoked
  unwatched,                // an unlisted signer, for a chart nobody watches
  unlisted_signer,          // an unlisted signer, for a watched chart
  key_outside_charts,       // a listed key, a chart outside its allowed_charts
  key_outside_window,       // a listed key, before not_before or after not_after
  key_revoked,              // a listed key, at or after revoked_at
  identity_outside_charts,  // the same for a listed identity
  identity_outside_window,
  identity_revoked,
  unreadable_signer,  // a key, certificate or OpenPGP key that cannot be read
};

// "log_unlisted_signer", "log_key_outside_charts", ...: the event's reason_code
// ("" for allowed and unwatched).
const char* finding_code(EntryFinding finding);

struct EntryVerdict {
  EntryFinding finding = EntryFinding::allowed;
  std::string signer;  // "key <hex key id>", "identity SUBJECT (issuer ISSUER)", "openpgp <FINGERPRINT>"
  std::string reason;  // one line, for a finding
};

// Judges many entries against one trust root (which must outlive it). Keeps
// a bounded cache of the keys it has read (an entry's key is read once per
// distinct key, not once per entry). Not thread-safe.
class EntryJudge {
 public:
  // watch: extra chart-name globs (util/glob.hpp; checked by the caller).
  EntryJudge(const trust::TrustRoot& root, std::vector<std::string> watch);

  EntryVerdict judge(const tlog::ChartEntry& entry);
  bool watched(const std::string& chart) const;

 private:
  EntryVerdict judge_key(const tlog::ChartEntry& entry);
  EntryVerdict judge_certificate(const tlog::ChartEntry& entry);
  EntryVerdict judge_openpgp(const tlog::ChartEntry& entry);
  EntryVerdict unlisted(const tlog::ChartEntry& entry, std::string signer) const;

  const trust::TrustRoot& root_;
  std::vector<std::string> watch_;
  std::unordered_map<std::string, std::string> key_ids_;  // SPKI bytes -> hex key id ("" unreadable)
  std::unordered_map<std::string, const trust::SigningKey*> by_fingerprint_;  // upper-case hex
};

}  // namespace chartprov::app::log
