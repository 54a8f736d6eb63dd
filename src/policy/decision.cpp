#include "policy/decision.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include "util/glob.hpp"

namespace chartprov::policy {
namespace {

std::string short_id(const EnvelopeEvidence& e) {
  if (e.identity) return e.identity->subject + " (issuer " + e.identity->issuer + ")";
  if (!e.key_id.empty()) return e.key_id.substr(0, 16);
  if (!e.fingerprint.empty()) return e.fingerprint;
  return "unknown key";
}

std::string who(const EnvelopeEvidence& e) {
  return e.owner.empty() ? short_id(e) : e.owner + " (" + short_id(e) + ")";
}

std::string where(const EnvelopeEvidence& e) { return e.format + " " + e.source; }

std::string rule_name(const Policy& policy, const Rule& rule) {
  std::string globs;
  for (const auto& g : rule.charts) globs += (globs.empty() ? "" : ", ") + g;
  return policy.source + ":" + std::to_string(rule.line) + " charts [" + globs + "]";
}

bool starts_with(const std::string& id, const std::string& prefix) {
  return !id.empty() && id.size() >= prefix.size() && id.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& id, const std::string& suffix) {
  return !id.empty() && id.size() >= suffix.size() && id.compare(id.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A signer entry that is neither "*" nor a key id or fingerprint (parse_policy
// gives those as >= 16 lower-case hex digits): an owner's name.
bool is_name(const std::string& signer) {
  const bool hex = signer.size() >= 16 && std::all_of(signer.begin(), signer.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  return signer != "*" && !hex;
}

// The entry of `signers` this envelope's key answers to, or "".
// Hex entries match a key id by prefix or a fingerprint by suffix (a 16-hex
// OpenPGP key id is a fingerprint's tail), the signing key's or its
// certificate's primary key's; anything else is an owner, matched only when
// owners are not claims.
std::string matching_signer(const std::vector<std::string>& signers, const std::vector<IdentityRequirement>& identities,
                            const EnvelopeEvidence& e, bool owners_are_claims) {
  for (const auto& s : signers) {
    if (s == "*") return s;
    if (!owners_are_claims && !e.owner.empty() && s == e.owner) return s;
    if (starts_with(e.key_id, s) || starts_with(e.primary_key_id, s)) return s;
    if (ends_with(e.fingerprint, s) || ends_with(e.primary_fingerprint, s)) return s;
  }
  if (e.identity) {
    for (const auto& id : identities) {
      if (id.matches(*e.identity)) return id.describe();
    }
  }
  return "";
}

// Counts key owners: two envelopes are one signer when they share a key (by
// key id or fingerprint, a subkey under its primary key) or a trust-root
// owner, however many rule entries they answer to.
class SignerCount {
 public:
  void add(const EnvelopeEvidence& e, bool owners_are_claims) {
    std::set<std::string> marks;
    for (const auto* id : {&e.key_id, &e.primary_key_id}) {
      if (!id->empty()) marks.insert("key " + *id);
    }
    for (const auto* fpr : {&e.fingerprint, &e.primary_fingerprint}) {
      if (!fpr->empty()) marks.insert("openpgp " + *fpr);
    }
    if (!owners_are_claims && !e.owner.empty()) marks.insert("owner " + e.owner);
    if (e.identity) marks.insert("identity " + e.identity->issuer + " " + e.identity->subject);
    if (marks.empty()) marks.insert("unidentified");  // envelopes that name no key are one signer at most
    std::optional<std::size_t> into;
    for (std::size_t i = groups_.size(); i-- > 0;) {
      if (!shares(groups_[i].marks, marks)) continue;
      marks.insert(groups_[i].marks.begin(), groups_[i].marks.end());
      if (into) groups_.erase(groups_.begin() + static_cast<std::ptrdiff_t>(*into));
      into = i;
    }
    if (into) {
      groups_[*into].marks = std::move(marks);
    } else {
      groups_.push_back({std::move(marks), who(e)});
    }
  }
  int size() const { return static_cast<int>(groups_.size()); }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& g : groups_) out.push_back(g.who);
    return out;
  }

 private:
  struct Group {
    std::set<std::string> marks;
    std::string who;  // the first envelope's signer, for reports
  };
  static bool shares(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& m) { return b.count(m) != 0; });
  }
  std::vector<Group> groups_;
};

std::string code_for_verdict(Verdict v) {
  switch (v) {
    case Verdict::unknown_key: return "untrusted-signer";
    case Verdict::out_of_scope:
    case Verdict::revoked:
    case Verdict::expired: return "out-of-scope";
    case Verdict::error: return "error";
    case Verdict::good:
    case Verdict::bad: break;
  }
  return "bad-signature";
}

// Ranks the reason codes so the label says the most telling one: a bad
// signature beats a missing signer, which beats a stale one.
int code_rank(const std::string& code) {
  static const std::vector<std::string> order = {"archive",      "error",   "bad-signature", "untrusted-signer",
                                                 "out-of-scope", "too-old", "no-tlog",       "threshold"};
  const auto it = std::find(order.begin(), order.end(), code);
  return static_cast<int>(it - order.begin());
}

// The first group of rule.one_of_each with no counted envelope ("prov", "cosign-blob or sigstore-bundle"), or "".
std::string first_missing_group(const Rule& rule, const std::set<std::string>& counted) {
  for (const auto& group : rule.one_of_each) {
    if (std::any_of(group.begin(), group.end(), [&](const std::string& f) { return counted.count(f) != 0; })) continue;
    std::string names;
    for (const auto& f : group) names += (names.empty() ? "" : " or ") + f;
    return names;
  }
  return "";
}

// Why one attestation does not meet a requirement, or "" when it does.
std::string attestation_refusal(const AttestationRequirement& req, const AttestationEvidence& a,
                                bool owners_are_claims) {
  if (!a.good()) return a.envelope.reason.empty() ? std::string(verdict_name(a.envelope.verdict)) : a.envelope.reason;
  if (a.predicate_type != req.predicate_type) return "its predicate type is " + a.predicate_type;
  if (matching_signer(req.signers, req.identities, a.envelope, owners_are_claims).empty()) {
    return "signed by " + who(a.envelope) + ", who is not a signer this requirement accepts";
  }
  return req.field_mismatch(a);
}

// Every reason the rule's attestation requirements deny the chart: each
// requirement no attestation meets, with why each one does not; and, when
// every requirement is met, each attestation that does not verify or names
// another chart (a rule that requires attestations overlooks no bad one).
std::vector<std::string> attestation_denials(const Rule& rule, const std::string& rule_label, const Evidence& ev) {
  std::vector<std::string> out;
  if (rule.attestations.empty()) return out;
  for (const auto& req : rule.attestations) {
    std::string why;
    bool met = false;
    for (const auto& a : ev.attestations) {
      const std::string refusal = attestation_refusal(req, a, ev.owners_are_claims);
      if (refusal.empty()) {
        met = true;
        break;
      }
      why += (why.empty() ? ": " : "; ") + where(a.envelope) + ": " + refusal;
    }
    if (met) continue;
    out.push_back("rule " + rule_label + " needs an attestation " + req.describe() +
                  (ev.attestations.empty() ? ": the chart has none" : why));
  }
  if (!out.empty()) return out;
  for (const auto& a : ev.attestations) {
    if (a.envelope.verdict != Verdict::bad && a.envelope.verdict != Verdict::error) continue;
    out.push_back("rule " + rule_label + " needs attestations, and " + where(a.envelope) +
                  " does not verify: " + a.envelope.reason);
  }
  return out;
}

}  // namespace

std::string Decision::verdict() const {
  if (allowed) return "allow";
  return mode == Mode::enforce ? "deny" : "warn";
}

Decision deny_unverifiable(const Policy& policy, std::string_view environment, std::vector<std::string> reasons) {
  Decision d;
  d.environment = std::string(environment);
  const Environment* env = find_environment(policy, environment);
  d.mode = env != nullptr ? env->mode : Mode::enforce;
  d.reasons = std::move(reasons);
  d.reason_code = "error";
  return d;
}

Decision evaluate(const Policy& policy, std::string_view environment, const Evidence& evidence, std::int64_t now) {
  Decision d;
  d.environment = std::string(environment);
  const Environment* env = find_environment(policy, environment);
  if (env == nullptr) {
    // An environment the policy does not name is enforced: fail closed.
    d.mode = Mode::enforce;
    d.reasons.push_back(policy.source + " has no section for environment \"" + std::string(environment) +
                        "\" and no \"*\" section");
    d.reason_code = "unmatched";
    return d;
  }
  d.mode = env->mode;
  if (env->mode == Mode::off) {
    d.allowed = true;
    d.reasons.push_back("environment " + d.environment + " is in mode off: nothing is checked");
    return d;
  }
  if (!evidence.problems.empty()) {
    d.reasons = evidence.problems;
    d.reason_code = evidence.name.empty() ? "archive" : (evidence.envelopes.empty() ? "no-envelope" : "error");
    return d;
  }
  const Rule* rule = nullptr;
  for (const auto& r : env->rules) {
    for (const auto& g : r.charts) {
      if (rule == nullptr && glob_match(g, evidence.name)) rule = &r;
    }
  }
  if (rule == nullptr) {
    if (env->denies_unmatched()) {
      d.reasons.push_back("no rule of environment " + d.environment + " (" + policy.source + ":" +
                          std::to_string(env->line) + ") matches chart \"" + evidence.name +
                          "\", and unmatched charts are denied");
      d.reason_code = "unmatched";
    } else {
      d.allowed = true;
      d.reasons.push_back("no rule matches chart \"" + evidence.name + "\"; environment " + d.environment +
                          " allows unmatched charts");
    }
    return d;
  }
  d.rule = rule_name(policy, *rule);
  if (evidence.owners_are_claims) {
    for (const auto& s : rule->signers) {
      if (!is_name(s)) continue;
      // A user id names nobody: any key in the keyring can claim it.
      d.reasons.push_back("rule " + d.rule + " names signer \"" + s +
                          "\" by name; with --keyring a name is a user id that any key can claim: "
                          "name signers by fingerprint or key id");
      d.reason_code = "untrusted-signer";
      return d;
    }
  }

  SignerCount signers;
  std::set<std::string> counted_formats;  // for one_of_each
  std::vector<std::string> broken;        // every_envelope_verifies: the envelopes that do not verify
  std::vector<std::string> refusals;
  std::string code;
  const auto refuse = [&](const EnvelopeEvidence& e, const std::string& why, const std::string& c) {
    refusals.push_back(where(e) + ": " + why);
    if (code.empty() || code_rank(c) < code_rank(code)) code = c;
  };
  for (const auto& e : evidence.envelopes) {
    if (!e.good()) {
      if (rule->every_envelope_verifies && e.verdict != Verdict::unknown_key) broken.push_back(where(e));
      refuse(e, e.reason.empty() ? std::string(verdict_name(e.verdict)) : e.reason, code_for_verdict(e.verdict));
      continue;
    }
    if (!rule->envelopes.empty() &&
        std::find(rule->envelopes.begin(), rule->envelopes.end(), e.format) == rule->envelopes.end()) {
      refuse(e, "this rule does not count " + e.format + " envelopes", "untrusted-signer");
      continue;
    }
    if (matching_signer(rule->signers, rule->identities, e, evidence.owners_are_claims).empty()) {
      refuse(e, "signed by " + who(e) + ", who is not a signer this rule accepts", "untrusted-signer");
      continue;
    }
    if (rule->max_age_seconds) {
      if (!e.signed_at) {
        refuse(e, "the signature carries no signing time, and this rule has a max_age", "too-old");
        continue;
      }
      if (now - *e.signed_at > *rule->max_age_seconds) {
        refuse(e, "the signature is " + std::to_string((now - *e.signed_at) / 86400) + " days old, older than max_age",
               "too-old");
        continue;
      }
    }
    if (rule->require_transparency_log && !e.in_transparency_log) {
      refuse(e, "no verified transparency-log entry, which this rule requires", "no-tlog");
      continue;
    }
    if (rule->transparency_log) {
      if (const std::string why = rule->transparency_log->refusal(e); !why.empty()) {
        refuse(e, why, "no-tlog");
        continue;
      }
    }
    signers.add(e, evidence.owners_are_claims);
    counted_formats.insert(e.format);
  }
  const int found = signers.size();
  d.signers = signers.names();
  const std::string missing_group = first_missing_group(*rule, counted_formats);
  const std::vector<std::string> attestation_reasons = attestation_denials(*rule, d.rule, evidence);
  if (found >= rule->threshold && broken.empty() && missing_group.empty()) {
    d.allowed = attestation_reasons.empty();
    d.reasons = attestation_reasons;
    if (!d.allowed) d.reason_code = "attestation";
    for (const auto& r : refusals) d.reasons.push_back("not counted: " + r);
    for (const auto& a : evidence.attestations) {
      if (!a.good() && d.allowed) d.reasons.push_back("not counted: " + where(a.envelope) + ": " + a.envelope.reason);
    }
    return d;
  }
  if (evidence.envelopes.empty()) {
    d.reasons.push_back("no envelope: the chart is not signed");
    d.reasons.insert(d.reasons.end(), attestation_reasons.begin(), attestation_reasons.end());
    d.reason_code = "no-envelope";
    return d;
  }
  if (!broken.empty()) {
    for (const auto& b : broken) d.reasons.push_back("rule " + d.rule + " needs every envelope to verify: " + b);
  } else if (found >= rule->threshold) {
    d.reasons.push_back("rule " + d.rule + " needs a counted " + missing_group + " envelope");
  } else {
    d.reasons.push_back("rule " + d.rule + " needs " + std::to_string(rule->threshold) + " signer(s), found " +
                        std::to_string(found));
  }
  d.reasons.insert(d.reasons.end(), refusals.begin(), refusals.end());
  d.reasons.insert(d.reasons.end(), attestation_reasons.begin(), attestation_reasons.end());
  d.reason_code = !broken.empty() ? code : (found > 0 || code.empty() ? "threshold" : code);
  return d;
}

}  // namespace chartprov::policy
