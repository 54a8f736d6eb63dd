#include "policy/decision.hpp"

#include <algorithm>
#include <set>

#include "chart/glob.hpp"

namespace chartprov::policy {
namespace {

std::string short_id(const EnvelopeEvidence& e) {
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

// The entry of `signers` this envelope's key answers to, or "".
// Hex entries match a key id by prefix or a fingerprint by suffix (a 16-hex
// OpenPGP key id is a fingerprint's tail); anything else is an owner.
std::string matching_signer(const Rule& rule, const EnvelopeEvidence& e) {
  for (const auto& s : rule.signers) {
    if (s == "*") return "key " + (e.key_id.empty() ? e.fingerprint : e.key_id);
    if (!e.owner.empty() && s == e.owner) return s;
    if (!e.key_id.empty() && e.key_id.size() >= s.size() && e.key_id.compare(0, s.size(), s) == 0) return s;
    if (!e.fingerprint.empty() && e.fingerprint.size() >= s.size() &&
        e.fingerprint.compare(e.fingerprint.size() - s.size(), s.size(), s) == 0) {
      return s;
    }
  }
  return "";
}

std::string code_for_status(const std::string& status) {
  if (status == "unknown-key") return "untrusted-signer";
  if (status == "out-of-scope" || status == "revoked" || status == "expired") return "out-of-scope";
  if (status == "error") return "error";
  return "bad-signature";
}

// Ranks the reason codes so the label says the most telling one: a bad
// signature beats a missing signer, which beats a stale one.
int code_rank(const std::string& code) {
  static const std::vector<std::string> order = {"archive",    "error",   "bad-signature", "untrusted-signer",
                                                 "out-of-scope", "too-old", "no-tlog",       "threshold"};
  const auto it = std::find(order.begin(), order.end(), code);
  return static_cast<int>(it - order.begin());
}

}  // namespace

std::string Decision::verdict() const {
  if (allowed) return "allow";
  return mode == Mode::enforce ? "deny" : "warn";
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
      if (rule == nullptr && chart::glob_match(g, evidence.name)) rule = &r;
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

  std::set<std::string> identities;
  std::vector<std::string> refusals;
  std::string code;
  const auto refuse = [&](const EnvelopeEvidence& e, const std::string& why, const std::string& c) {
    refusals.push_back(where(e) + ": " + why);
    if (code.empty() || code_rank(c) < code_rank(code)) code = c;
  };
  for (const auto& e : evidence.envelopes) {
    if (!e.good()) {
      refuse(e, e.reason.empty() ? e.status : e.reason, code_for_status(e.status));
      continue;
    }
    if (!rule->envelopes.empty() &&
        std::find(rule->envelopes.begin(), rule->envelopes.end(), e.format) == rule->envelopes.end()) {
      refuse(e, "this rule does not count " + e.format + " envelopes", "untrusted-signer");
      continue;
    }
    const std::string signer = matching_signer(*rule, e);
    if (signer.empty()) {
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
    if (identities.insert(signer).second) d.signers.push_back(who(e));
  }
  const int found = static_cast<int>(identities.size());
  if (found >= rule->threshold) {
    d.allowed = true;
    for (const auto& r : refusals) d.reasons.push_back("not counted: " + r);
    return d;
  }
  if (evidence.envelopes.empty()) {
    d.reasons.push_back("no envelope: the chart is not signed");
    d.reason_code = "no-envelope";
    return d;
  }
  d.reasons.push_back("rule " + d.rule + " needs " + std::to_string(rule->threshold) + " signer(s), found " +
                      std::to_string(found));
  d.reasons.insert(d.reasons.end(), refusals.begin(), refusals.end());
  d.reason_code = found > 0 || code.empty() ? "threshold" : code;
  return d;
}

}  // namespace chartprov::policy
