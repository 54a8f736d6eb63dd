#include "policy/log_requirement.hpp"

#include <algorithm>
#include <set>

#include "policy/policy_values.hpp"
#include "util/encoding.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A log id as a trusted root writes it (base64) or as hex, to lower-case hex.
Result<std::string> log_id_hex(const std::string& text) {
  if (text.size() == 64 && is_hex(lower(text))) return lower(text);
  auto raw = base64_decode(text);
  if (raw && raw->size() == 32) return hex_encode(*raw);
  return input_error("log \"" + text + "\" is neither a log id of 64 hex digits nor base64 of 32 bytes");
}

Result<std::vector<std::string>> parse_witness_keys(const YamlNode& node, const LineErrors& err) {
  TRY(std::vector<std::string> keys, string_list(err, node, "keys"));
  if (keys.empty()) return err.at(node, "witnesses: keys: list at least one witness vkey");
  if (keys.size() > kMaxWitnesses)
    return err.at(node, "witnesses: more than " + std::to_string(kMaxWitnesses) + " keys");
  std::set<std::string> seen;
  for (const auto& k : keys) {
    if (auto v = parse_witness_vkey(k); !v) return err.at(node, "witnesses: " + v.error().message);
    if (!seen.insert(k).second) return err.at(node, "witnesses: the key \"" + k + "\" is listed twice");
  }
  return keys;
}

Status parse_witnesses(const YamlNode& node, const LineErrors& err, LogRequirement& out) {
  if (node.kind != YamlNode::Kind::kMapping) return err.at(node, "witnesses must be a mapping (threshold:, keys:)");
  std::string threshold_text;
  const YamlNode* threshold_node = nullptr;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "threshold") {
      TRY(threshold_text, scalar(err, value, "threshold"));
      threshold_node = &value;
    } else if (key.value == "keys") {
      TRY(out.witnesses, parse_witness_keys(value, err));
    } else {
      return err.at(key, "unknown witnesses key \"" + key.value + "\" (expected threshold, keys)");
    }
  }
  if (out.witnesses.empty()) return err.at(node, "witnesses: keys: list at least one witness vkey");
  out.witness_threshold = 1;
  if (threshold_node != nullptr) {
    const bool digits =
        !threshold_text.empty() && threshold_text.size() <= 3 &&
        std::all_of(threshold_text.begin(), threshold_text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int t = digits ? std::stoi(threshold_text) : 0;
    if (t < 1 || static_cast<std::size_t>(t) > out.witnesses.size()) {
      return err.at(*threshold_node, "witnesses: threshold must be 1.." + std::to_string(out.witnesses.size()) +
                                         " (the number of keys)");
    }
    out.witness_threshold = t;
  }
  return ok_status();
}

}  // namespace

Result<WitnessVkey> parse_witness_vkey(std::string_view vkey) {
  const auto p1 = vkey.find('+');
  const auto p2 = p1 == std::string_view::npos ? p1 : vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {  // the key's base64 may hold '+' itself
    return input_error("a witness vkey is NAME+KEYID+KEY (C2SP signed-note)");
  }
  WitnessVkey out;
  out.name = std::string(vkey.substr(0, p1));
  out.key_id_hex = std::string(vkey.substr(p1 + 1, p2 - p1 - 1));
  if (out.name.empty()) return input_error("a witness vkey needs a name");
  if (out.key_id_hex.size() != 8 || !is_hex(out.key_id_hex)) {
    return input_error("a witness vkey's key id is 8 lower-case hex digits");
  }
  auto key = base64_decode(vkey.substr(p2 + 1));
  if (!key || key->size() != 33 || (*key)[0] != 0x04) {
    return input_error("a witness vkey's key is base64 of 0x04 and a 32-byte Ed25519 key (a cosignature/v1 key)");
  }
  out.key.assign(key->begin() + 1, key->end());
  return out;
}

Result<LogRequirement> parse_log_requirement(const YamlNode& node, const LineErrors& err) {
  if (node.kind != YamlNode::Kind::kMapping) {
    return err.at(node, "transparency_log must be a mapping (logs:, witnesses:)");
  }
  LogRequirement req;
  req.line = node.line;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "logs") {
      TRY(const std::vector<std::string> logs, string_list(err, value, "logs"));
      if (logs.size() > kMaxRequiredLogs) {
        return err.at(value, "logs: more than " + std::to_string(kMaxRequiredLogs) + " logs");
      }
      for (const auto& l : logs) {
        auto id = log_id_hex(l);
        if (!id) return err.at(value, "logs: " + id.error().message);
        req.logs.push_back(std::move(*id));
      }
    } else if (key.value == "witnesses") {
      TRY_STATUS(parse_witnesses(value, err, req));
    } else {
      return err.at(key, "unknown transparency_log key \"" + key.value + "\" (expected logs, witnesses)");
    }
  }
  return req;
}

std::string LogRequirement::refusal(const EnvelopeEvidence& e) const {
  if (e.log_entries.empty()) return "no verified transparency-log entry, which this rule requires";
  std::vector<const LogInclusion*> listed;
  std::string others;
  for (const auto& entry : e.log_entries) {
    if (logs.empty() || std::find(logs.begin(), logs.end(), entry.log_id) != logs.end()) {
      listed.push_back(&entry);
    } else {
      others += (others.empty() ? "" : ", ") + entry.log_id.substr(0, 16) +
                (entry.origin.empty() ? "" : " (" + entry.origin + ")");
    }
  }
  if (listed.empty()) return "its log entries are in log(s) " + others + ", none of which this rule lists";
  if (witness_threshold == 0) return "";
  std::string best_missing;
  int best = -1;
  for (const LogInclusion* entry : listed) {
    int found = 0;
    std::string missing;
    for (const auto& w : witnesses) {
      if (std::find(entry->witnesses.begin(), entry->witnesses.end(), w) != entry->witnesses.end()) {
        ++found;
      } else {
        missing += (missing.empty() ? "" : ", ") + w.substr(0, w.find('+'));
      }
    }
    if (found >= witness_threshold) return "";
    if (found > best) {
      best = found;
      best_missing = missing;
    }
  }
  return std::to_string(witness_threshold) + " of " + std::to_string(witnesses.size()) +
         " witness cosignatures are required, its checkpoint has " + std::to_string(best) +
         " (missing: " + best_missing + ")";
}

}  // namespace chartprov::policy
