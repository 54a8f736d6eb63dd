#include "keys/key_history.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"
#include "util/glob.hpp"

namespace chartprov::keys {
namespace {

using nlohmann::json;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool is_upper_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
}

Result<std::string> get_string(const json& obj, const char* name, bool required) {
  const auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) {
    if (required) return input_error(std::string("missing \"") + name + "\"");
    return std::string();
  }
  if (!it->is_string()) return input_error(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

Result<std::optional<std::int64_t>> get_time(const json& obj, const char* name, bool required) {
  TRY(const std::string text, get_string(obj, name, required));
  if (text.empty()) return std::optional<std::int64_t>();
  auto t = parse_rfc3339(text);
  if (!t) return input_error(std::string("\"") + name + "\": " + t.error().message);
  return std::optional<std::int64_t>(*t);
}

Result<KeyRecord> parse_record(const json& obj) {
  static const std::set<std::string> kKnown = {
      "id",     "algorithm",   "created",        "not_before", "not_after",           "status",   "revoked_at",
      "reason", "compromised", "allowed_charts", "location",   "openpgp_fingerprint", "successor"};
  if (!obj.is_object()) return input_error("a key entry must be an object");
  for (const auto& [name, value] : obj.items()) {
    if (kKnown.count(name) == 0) return input_error("unknown field \"" + name + "\"");
  }
  KeyRecord k;
  TRY(k.id, get_string(obj, "id", true));
  if (k.id.size() != 64 || !is_hex(k.id)) return input_error("\"id\" must be 64 lower-case hex digits");
  TRY(k.algorithm, get_string(obj, "algorithm", true));
  TRY(const auto created, get_time(obj, "created", true));
  k.created = *created;
  TRY(const auto not_before, get_time(obj, "not_before", false));
  k.not_before = not_before.value_or(k.created);
  TRY(k.not_after, get_time(obj, "not_after", false));
  if (k.not_after && *k.not_after < k.not_before) return input_error("\"not_after\" is before \"not_before\"");
  TRY(const std::string status, get_string(obj, "status", true));
  if (status == "active") {
    k.status = KeyStatus::kActive;
  } else if (status == "retired") {
    k.status = KeyStatus::kRetired;
  } else if (status == "revoked") {
    k.status = KeyStatus::kRevoked;
  } else {
    return input_error("\"status\" must be active, retired or revoked, not \"" + status + "\"");
  }
  TRY(k.revoked_at, get_time(obj, "revoked_at", false));
  if ((k.status == KeyStatus::kRevoked) != k.revoked_at.has_value()) {
    return input_error("\"revoked_at\" is required for, and only for, a revoked key");
  }
  TRY(k.reason, get_string(obj, "reason", false));
  if (const auto it = obj.find("compromised"); it != obj.end()) {
    if (!it->is_boolean()) return input_error("\"compromised\" must be true or false");
    k.compromised = it->get<bool>();
    if (k.compromised && k.status != KeyStatus::kRevoked) return input_error("a compromised key must be revoked");
  }
  if (const auto it = obj.find("allowed_charts"); it != obj.end()) {
    if (!it->is_array()) return input_error("\"allowed_charts\" must be a list of globs");
    for (const auto& g : *it) {
      if (!g.is_string()) return input_error("\"allowed_charts\" must be a list of globs");
      const std::string glob = g.get<std::string>();
      if (auto st = check_glob(glob); !st) return input_error("\"allowed_charts\": " + st.error().message);
      k.allowed_charts.push_back(glob);
    }
  }
  TRY(k.location, get_string(obj, "location", false));
  TRY(k.openpgp_fingerprint, get_string(obj, "openpgp_fingerprint", false));
  if (!k.openpgp_fingerprint.empty() && ((k.openpgp_fingerprint.size() != 40 && k.openpgp_fingerprint.size() != 64) ||
                                         !is_upper_hex(k.openpgp_fingerprint))) {
    return input_error("\"openpgp_fingerprint\" must be 40 or 64 upper-case hex digits");
  }
  TRY(k.successor, get_string(obj, "successor", false));
  return k;
}

}  // namespace

std::string_view to_string(KeyStatus status) {
  switch (status) {
    case KeyStatus::kActive: return "active";
    case KeyStatus::kRetired: return "retired";
    case KeyStatus::kRevoked: return "revoked";
  }
  return "revoked";
}

const KeyRecord* KeyHistory::find(std::string_view id) const {
  for (const auto& k : keys) {
    if (k.id == id) return &k;
  }
  return nullptr;
}
KeyRecord* KeyHistory::find(std::string_view id) {
  return const_cast<KeyRecord*>(static_cast<const KeyHistory*>(this)->find(id));
}
const KeyRecord* KeyHistory::find_by_openpgp(std::string_view fingerprint) const {
  for (const auto& k : keys) {
    if (!k.openpgp_fingerprint.empty() && k.openpgp_fingerprint == fingerprint) return &k;
  }
  return nullptr;
}

Result<KeyHistory> parse_key_history(std::string_view text) {
  if (text.size() > kMaxKeyHistorySize)
    return input_error("keys.json: larger than " + byte_size_text(kMaxKeyHistorySize));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded()) return input_error("keys.json: not valid JSON");
  if (!doc.is_object()) return input_error("keys.json: the top level must be an object");
  for (const auto& [name, value] : doc.items()) {
    if (name != "version" && name != "keys") return input_error("keys.json: unknown field \"" + name + "\"");
  }
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<std::int64_t>() != 1) {
    return input_error("keys.json: \"version\" must be 1");
  }
  const auto list = doc.find("keys");
  if (list == doc.end() || !list->is_array()) return input_error("keys.json: \"keys\" must be a list");
  if (list->size() > kMaxKeyRecords) return input_error("keys.json: more than 10000 keys");
  KeyHistory history;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto record = parse_record((*list)[i]);
    if (!record) return record.error().with_context("keys.json: key #" + std::to_string(i + 1));
    if (history.find(record->id) != nullptr) return input_error("keys.json: key " + record->id + " is listed twice");
    history.keys.push_back(std::move(*record));
  }
  return history;
}

std::string serialize_key_history(const KeyHistory& history) {
  json list = json::array();
  for (const auto& k : history.keys) {
    json o = json::object();
    o["id"] = k.id;
    o["algorithm"] = k.algorithm;
    o["created"] = format_rfc3339(k.created);
    o["not_before"] = format_rfc3339(k.not_before);
    if (k.not_after) o["not_after"] = format_rfc3339(*k.not_after);
    o["status"] = std::string(to_string(k.status));
    if (k.revoked_at) o["revoked_at"] = format_rfc3339(*k.revoked_at);
    if (!k.reason.empty()) o["reason"] = k.reason;
    if (k.compromised) o["compromised"] = true;
    if (!k.allowed_charts.empty()) o["allowed_charts"] = k.allowed_charts;
    if (!k.location.empty()) o["location"] = k.location;
    if (!k.openpgp_fingerprint.empty()) o["openpgp_fingerprint"] = k.openpgp_fingerprint;
    if (!k.successor.empty()) o["successor"] = k.successor;
    list.push_back(std::move(o));
  }
  const json doc = {{"version", 1}, {"keys", std::move(list)}};
  return doc.dump(2) + "\n";
}

KeyVerdict check_key_at(const KeyRecord& key, std::int64_t signed_at, std::int64_t now) {
  const std::string id = key.id.substr(0, 16);
  if (key.status == KeyStatus::kRevoked) {
    if (key.compromised) return {false, "key " + id + " was revoked as compromised: none of its signatures count"};
    if (signed_at >= *key.revoked_at) {
      return {false, "key " + id + " was revoked at " + format_rfc3339(*key.revoked_at) +
                         "; the signature was made at " + format_rfc3339(signed_at)};
    }
  }
  if (signed_at < key.not_before) {
    return {false, "the signature (" + format_rfc3339(signed_at) + ") is older than key " + id + "'s validity (" +
                       format_rfc3339(key.not_before) + ")"};
  }
  if (key.not_after && signed_at > *key.not_after) {
    return {false, "the signature (" + format_rfc3339(signed_at) + ") was made after key " + id + " was retired (" +
                       format_rfc3339(*key.not_after) + ")"};
  }
  if (signed_at > now + 300) {
    return {false, "the signature claims a time in the future (" + format_rfc3339(signed_at) + ")"};
  }
  return {true, ""};
}

KeyVerdict check_chart_allowed(const KeyRecord& key, std::string_view chart_name) {
  if (key.allowed_charts.empty()) return {true, ""};
  for (const auto& glob : key.allowed_charts) {
    if (glob_match(glob, chart_name)) return {true, ""};
  }
  std::string list;
  for (const auto& glob : key.allowed_charts) list += (list.empty() ? "" : ", ") + glob;
  return {false, "key " + key.id.substr(0, 16) + " may not sign chart \"" + std::string(chart_name) +
                     "\" (allowed: " + list + ")"};
}

}  // namespace chartprov::keys
