#include "policy/policy.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "policy/line_errors.hpp"
#include "util/byte_size.hpp"
#include "util/glob.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

constexpr std::size_t kMaxEnvironments = 64;
constexpr std::size_t kMaxRules = 256;
constexpr std::size_t kMaxListItems = 256;
constexpr int kMaxThreshold = 64;

const std::vector<std::string> kEnvelopeFormats = {"prov", "cosign-blob", "sigstore-bundle", "oci-cosign"};

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The policy's environment whose name equals `name` ignoring ASCII case, if any.
const Environment* find_ignoring_case(const Policy& policy, std::string_view name) {
  for (const auto& e : policy.environments) {
    if (equal_ignoring_case(e.name, name)) return &e;
  }
  return nullptr;
}

bool is_plain_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

Result<std::string> scalar(const LineErrors& err, const YamlNode& node, std::string_view what) {
  if (node.kind != YamlNode::Kind::kScalar) return err.at(node, std::string(what) + " must be a single value");
  if (node.value.empty()) return err.at(node, std::string(what) + " is empty");
  return node.value;
}

// A string or a list of strings.
Result<std::vector<std::string>> string_list(const LineErrors& err, const YamlNode& node, std::string_view what) {
  std::vector<std::string> out;
  if (node.kind == YamlNode::Kind::kScalar) {
    TRY(std::string v, scalar(err, node, what));
    out.push_back(std::move(v));
    return out;
  }
  if (node.kind != YamlNode::Kind::kSequence)
    return err.at(node, std::string(what) + " must be a value or a list of values");
  if (node.children.empty()) return err.at(node, std::string(what) + " is an empty list");
  if (node.children.size() > kMaxListItems) return err.at(node, std::string(what) + " has too many items");
  for (const auto& item : node.children) {
    TRY(std::string v, scalar(err, item, what));
    out.push_back(std::move(v));
  }
  return out;
}

Result<bool> boolean(const LineErrors& err, const YamlNode& node, std::string_view what) {
  if (node.is_plain_scalar() && (node.value == "true" || node.value == "false")) return node.value == "true";
  return err.at(node, std::string(what) + " must be true or false");
}

Result<Mode> parse_mode(const LineErrors& err, const YamlNode& node) {
  TRY(const std::string v, scalar(err, node, "mode"));
  if (v == "enforce") return Mode::enforce;
  if (v == "warn") return Mode::warn;
  if (v == "off") return Mode::off;
  return err.at(node, "mode \"" + v + "\" is not one of enforce, warn, off");
}

Result<int> parse_threshold(const LineErrors& err, const YamlNode& node) {
  TRY(const std::string v, scalar(err, node, "threshold"));
  if (v.size() > 3 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return err.at(node, "threshold \"" + v + "\" must be a whole number from 1 to " + std::to_string(kMaxThreshold));
  }
  const int n = std::stoi(v);
  if (n < 1 || n > kMaxThreshold) {
    return err.at(node, "threshold " + v + " must be from 1 to " + std::to_string(kMaxThreshold));
  }
  return n;
}

Result<std::int64_t> parse_age(const LineErrors& err, const YamlNode& node) {
  TRY(const std::string v, scalar(err, node, "max_age"));
  const auto bad = [&] {
    return err.at(node, "max_age \"" + v + "\": use a number and a unit, e.g. 90d, 12h, 6m, 1y");
  };
  if (v.size() < 2 || v.size() > 8) return bad();
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return bad();
    n = n * 10 + (v[i] - '0');
  }
  std::int64_t unit = 0;
  switch (v.back()) {
    case 'y': unit = std::int64_t{365} * 86400; break;
    case 'm': unit = std::int64_t{30} * 86400; break;  // months, as in `key generate --expires`
    case 'w': unit = std::int64_t{7} * 86400; break;
    case 'd': unit = 86400; break;
    case 'h': unit = 3600; break;
    case 's': unit = 1; break;
    default: return bad();
  }
  if (n == 0) return err.at(node, "max_age \"" + v + "\" must be longer than zero");
  return n * unit;
}

// A key id or fingerprint is compared in lower case without spaces;
// anything else is an owner name from the trust root, compared exactly.
std::string normalized_signer(std::string s) {
  std::string compact;
  for (const char c : s) {
    if (c != ' ') compact += c;
  }
  if (compact.size() >= 16 && is_hex(compact)) {
    std::transform(compact.begin(), compact.end(), compact.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return compact;
  }
  return s;
}

// "claims:" or "claims_regexp:": Fulcio claim names to values or patterns.
Status parse_claims(const LineErrors& err, const YamlNode& node, bool regexp, IdentityRequirement& out) {
  const char* what = regexp ? "claims_regexp" : "claims";
  if (node.kind != YamlNode::Kind::kMapping || node.children.empty())
    return err.at(node, std::string(what) + " must map claim names to values");
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& name = node.children[i];
    if (!is_known_claim(name.value)) {
      return err.at(name, "\"" + name.value + "\" is not a Fulcio claim (e.g. source-repository-uri, " +
                              "source-repository-ref, build-signer-uri, build-trigger; docs/POLICY.md)");
    }
    TRY(std::string v, scalar(err, node.children[i + 1], name.value));
    auto m = regexp ? TextMatch::regexp(std::move(v)) : TextMatch::exact(std::move(v));
    if (!m) return err.at(node.children[i + 1], name.value + ": " + m.error().message);
    out.claims.emplace_back(name.value, std::move(*m));
  }
  return ok_status();
}

// One keyless signer: a mapping in a rule's signers:.
Result<IdentityRequirement> parse_identity(const LineErrors& err, const YamlNode& node) {
  std::optional<TextMatch> subject;
  std::optional<TextMatch> issuer;
  IdentityRequirement req;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    const bool is_subject = key.value == "identity" || key.value == "identity_regexp";
    const bool is_issuer = key.value == "issuer" || key.value == "issuer_regexp";
    if (is_subject || is_issuer) {
      auto& slot = is_subject ? subject : issuer;
      if (slot) return err.at(key, key.value + ": give one of identity/identity_regexp, issuer/issuer_regexp");
      TRY(std::string v, scalar(err, value, key.value));
      const bool regexp = key.value.size() > 7 && key.value.compare(key.value.size() - 7, 7, "_regexp") == 0;
      auto m = regexp ? TextMatch::regexp(std::move(v)) : TextMatch::exact(std::move(v));
      if (!m) return err.at(value, key.value + ": " + m.error().message);
      slot = std::move(*m);
    } else if (key.value == "claims" || key.value == "claims_regexp") {
      if (auto c = parse_claims(err, value, key.value == "claims_regexp", req); !c) return c.error();
    } else {
      return err.at(key, "unknown signer key \"" + key.value +
                             "\" (expected identity, identity_regexp, issuer, issuer_regexp, claims, claims_regexp)");
    }
  }
  if (!subject) return err.at(node, "a keyless signer needs identity: or identity_regexp:");
  if (!issuer) return err.at(node, "a keyless signer needs issuer: or issuer_regexp: (the OIDC issuer)");
  req.subject = std::move(*subject);
  req.issuer = std::move(*issuer);
  return req;
}

// signers: a value, or a list of values (keys, fingerprints, owners, "*")
// and mappings (keyless identities).
Status parse_signers(const LineErrors& err, const YamlNode& node, Rule& rule) {
  if (node.kind == YamlNode::Kind::kSequence) {
    if (node.children.empty()) return err.at(node, "signers is an empty list");
    if (node.children.size() > kMaxListItems) return err.at(node, "signers has too many items");
    for (const auto& item : node.children) {
      if (item.kind == YamlNode::Kind::kMapping) {
        TRY(IdentityRequirement id, parse_identity(err, item));
        rule.identities.push_back(std::move(id));
        continue;
      }
      TRY(std::string v, scalar(err, item, "signers"));
      rule.signers.push_back(normalized_signer(std::move(v)));
    }
    return ok_status();
  }
  TRY(std::vector<std::string> signers, string_list(err, node, "signers"));
  for (auto& v : signers) rule.signers.push_back(normalized_signer(std::move(v)));
  return ok_status();
}

Result<Rule> parse_rule(const LineErrors& err, const YamlNode& node) {
  if (node.kind != YamlNode::Kind::kMapping) return err.at(node, "a rule must be a mapping (charts:, signers:, ...)");
  Rule rule;
  rule.line = node.line;
  bool has_charts = false;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "charts") {
      TRY(rule.charts, string_list(err, value, "charts"));
      for (const auto& g : rule.charts) {
        if (auto bad = check_glob(g); !bad) return err.at(value, "charts: \"" + g + "\": " + bad.error().message);
      }
      has_charts = true;
    } else if (key.value == "signers") {
      if (auto sig = parse_signers(err, value, rule); !sig) return sig.error();
    } else if (key.value == "threshold") {
      TRY(rule.threshold, parse_threshold(err, value));
    } else if (key.value == "envelopes") {
      TRY(rule.envelopes, string_list(err, value, "envelopes"));
      for (const auto& f : rule.envelopes) {
        if (std::find(kEnvelopeFormats.begin(), kEnvelopeFormats.end(), f) == kEnvelopeFormats.end()) {
          return err.at(value, "envelope \"" + f + "\" is not one of prov, cosign-blob, sigstore-bundle, oci-cosign");
        }
      }
    } else if (key.value == "max_age") {
      TRY(rule.max_age_seconds, parse_age(err, value));
    } else if (key.value == "require_transparency_log") {
      TRY(rule.require_transparency_log, boolean(err, value, "require_transparency_log"));
    } else {
      return err.at(key, "unknown rule key \"" + key.value +
                             "\" (expected charts, signers, threshold, envelopes, max_age, require_transparency_log)");
    }
  }
  if (!has_charts) return err.at(node, "a rule needs charts: (a glob such as \"*\" or \"nginx-*\")");
  if (rule.signers.empty() && rule.identities.empty()) rule.signers = {"*"};
  // "*", or a pattern that several identities may match: no upper bound.
  const bool any = std::find(rule.signers.begin(), rule.signers.end(), "*") != rule.signers.end() ||
                   std::any_of(rule.identities.begin(), rule.identities.end(),
                               [](const IdentityRequirement& id) { return id.subject.is_regexp(); });
  const std::size_t listed = rule.signers.size() + rule.identities.size();
  if (!any && static_cast<std::size_t>(rule.threshold) > listed) {
    return err.at(node, "threshold " + std::to_string(rule.threshold) + " is more than the " + std::to_string(listed) +
                            " signers listed: no chart could ever pass");
  }
  return rule;
}

Result<Environment> parse_environment(const LineErrors& err, const YamlNode& name, const YamlNode& node) {
  if (node.kind != YamlNode::Kind::kMapping)
    return err.at(node, "environment " + name.value + " must be a mapping (mode:, rules:)");
  Environment env;
  env.name = name.value;
  env.line = name.line;
  bool has_mode = false;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "mode") {
      TRY(env.mode, parse_mode(err, value));
      has_mode = true;
    } else if (key.value == "deny_unmatched") {
      TRY(const bool deny, boolean(err, value, "deny_unmatched"));
      env.deny_unmatched = deny;
    } else if (key.value == "rules") {
      if (value.kind != YamlNode::Kind::kSequence) return err.at(value, "rules must be a list");
      if (value.children.size() > kMaxRules)
        return err.at(value, "too many rules (at most " + std::to_string(kMaxRules) + ")");
      for (const auto& r : value.children) {
        TRY(Rule rule, parse_rule(err, r));
        env.rules.push_back(std::move(rule));
      }
    } else if (key.value == "admission") {
      TRY(env.admission, parse_admission_settings(value, err, env.name));
    } else {
      return err.at(key, "unknown key \"" + key.value + "\" in environment " + env.name +
                             " (expected mode, deny_unmatched, rules, admission)");
    }
  }
  // The mode decides whether a deny blocks a deployment: never a default.
  if (!has_mode) return err.at(name, "environment " + env.name + " has no mode: (enforce, warn or off)");
  return env;
}

}  // namespace

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::enforce: return "enforce";
    case Mode::warn: return "warn";
    case Mode::off: return "off";
  }
  return "enforce";
}

Result<Policy> parse_policy(std::string_view yaml, std::string_view source) {
  if (yaml.size() > kMaxPolicyBytes)
    return input_error(std::string(source) + ": larger than " + byte_size_text(kMaxPolicyBytes));
  const LineErrors err(source);
  yaml::YamlLimits limits;
  limits.max_nodes = 20000;
  TRY(const YamlNode doc, yaml::parse_yaml_document(yaml, source, limits));
  if (doc.kind != YamlNode::Kind::kMapping) return err.at(doc, "a policy is a mapping with version: and environments:");
  Policy policy;
  policy.source = std::string(source);
  bool has_version = false;
  const YamlNode* environments = nullptr;
  const YamlNode* namespaces = nullptr;
  for (std::size_t i = 0; i + 1 < doc.children.size(); i += 2) {
    const YamlNode& key = doc.children[i];
    const YamlNode& value = doc.children[i + 1];
    if (key.value == "version") {
      TRY(const std::string v, scalar(err, value, "version"));
      if (v != "1") return err.at(value, "policy version " + v + " is not supported (this chartprov reads version 1)");
      has_version = true;
    } else if (key.value == "environments") {
      environments = &value;
    } else if (key.value == "namespaces") {
      namespaces = &value;
    } else {
      return err.at(key, "unknown key \"" + key.value + "\" (expected version, environments, namespaces)");
    }
  }
  if (!has_version) return err.at(doc, "version: 1 is missing");
  if (environments == nullptr || environments->kind != YamlNode::Kind::kMapping || environments->children.empty()) {
    return err.at(environments != nullptr ? *environments : doc,
                  "environments: must map environment names to their policy");
  }
  if (environments->children.size() / 2 > kMaxEnvironments) return err.at(*environments, "too many environments");
  for (std::size_t i = 0; i + 1 < environments->children.size(); i += 2) {
    const YamlNode& name = environments->children[i];
    if (name.value != "*" && !check_environment_name(name.value)) {
      return err.at(name,
                    "environment name \"" + name.value + "\" must match [A-Za-z0-9][A-Za-z0-9._-]{0,62} (or be \"*\")");
    }
    if (find_ignoring_case(policy, name.value) != nullptr) {
      return err.at(name, "environment " + name.value + " differs from another environment only by case");
    }
    TRY(Environment env, parse_environment(err, name, environments->children[i + 1]));
    if (env.name == "*" && env.mode != Mode::enforce) {
      return err.at(name, "the \"*\" environment must be in mode enforce: warn and off are granted by name only");
    }
    policy.environments.push_back(std::move(env));
  }
  if (namespaces != nullptr) {
    std::vector<std::string> names;
    for (const auto& e : policy.environments) names.push_back(e.name);
    TRY(policy.namespaces, parse_namespace_bindings(*namespaces, source, names));
  }
  return policy;
}

namespace {

// One rule for every chart: one good signature by any trusted key.
Environment any_signature(std::string name, Mode mode) {
  Rule any;
  any.charts = {"*"};
  any.signers = {"*"};
  any.threshold = 1;
  Environment e;
  e.name = std::move(name);
  e.mode = mode;
  e.rules = {any};
  return e;
}

}  // namespace

Policy default_policy() {
  Policy p;
  p.source = "built-in default";
  p.environments = {any_signature("*", Mode::enforce)};
  return p;
}

Policy no_environment_policy(PlainTrust trust) {
  Policy p;
  p.environments = {any_signature("", Mode::enforce)};
  Rule& rule = p.environments.front().rules.front();
  switch (trust) {
    case PlainTrust::trust_root: p.source = "no environment: one signature by a listed key"; break;
    case PlainTrust::keyring:
      p.source = "no environment: a verified .prov";
      rule.every_envelope_verifies = true;
      break;
    case PlainTrust::key:
      p.source = "no environment: every envelope verified by the key";
      rule.every_envelope_verifies = true;
      break;
    case PlainTrust::keyring_and_key:
      p.source = "no environment: a verified .prov and every envelope verified by the key";
      rule.every_envelope_verifies = true;
      rule.one_of_each = {{"prov"}, {"cosign-blob", "sigstore-bundle", "oci-cosign"}};
      break;
  }
  return p;
}

Status check_environment_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return usage_error("an environment name must be 1 to 63 characters");
  if (!std::all_of(name.begin(), name.end(), is_plain_name_char) || name.front() == '.' || name.front() == '_' ||
      name.front() == '-') {
    return usage_error("environment \"" + std::string(name) + "\" must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  }
  return ok_status();
}

Status check_requested_environment(const Policy& policy, std::string_view env) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  if (!env.empty() && (space(env.front()) || space(env.back()))) {
    return usage_error("environment \"" + std::string(env) + "\" has surrounding spaces");
  }
  TRY_STATUS(check_environment_name(env));
  const Environment* near = find_ignoring_case(policy, env);
  if (near != nullptr && near->name != env) {
    return usage_error("environment \"" + std::string(env) + "\" differs only by case from \"" + near->name + "\" in " +
                       policy.source);
  }
  return ok_status();
}

const Environment* find_environment(const Policy& policy, std::string_view env) {
  const Environment* fallback = nullptr;
  for (const auto& e : policy.environments) {
    if (e.name == env) return &e;
    if (e.name == "*") fallback = &e;
  }
  return fallback;
}

}  // namespace chartprov::policy
