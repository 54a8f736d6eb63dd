#include "policy/policy.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "policy/line_errors.hpp"
#include "policy/policy_values.hpp"
#include "policy/signer_list.hpp"
#include "util/byte_size.hpp"
#include "util/glob.hpp"
#include "yaml/yaml_tree.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

constexpr std::size_t kMaxEnvironments = 64;
constexpr std::size_t kMaxRules = 256;
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
      TRY(SignerList list, parse_signer_list(err, value));
      rule.signers = std::move(list.signers);
      rule.identities = std::move(list.identities);
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
    } else if (key.value == "attestations") {
      TRY(rule.attestations, parse_attestation_requirements(value, err));
    } else if (key.value == "transparency_log") {
      TRY(rule.transparency_log, parse_log_requirement(value, err));
    } else {
      return err.at(key, "unknown rule key \"" + key.value +
                             "\" (expected charts, signers, threshold, envelopes, max_age, require_transparency_log, "
                             "transparency_log, attestations)");
    }
  }
  if (!has_charts) return err.at(node, "a rule needs charts: (a glob such as \"*\" or \"nginx-*\")");
  if (rule.signers.empty() && rule.identities.empty()) rule.signers = {"*"};
  for (auto& a : rule.attestations) {
    if (a.names_signers) continue;
    a.signers = rule.signers;  // an attestation by any signer of the rule
    a.identities = rule.identities;
  }
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
