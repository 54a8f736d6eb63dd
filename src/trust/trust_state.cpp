#include "trust/trust_state.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "util/byte_size.hpp"

namespace chartprov::trust {
namespace {

constexpr std::string_view kType = "chartprov-trust-state";

bool is_digest(const std::string& d) {
  return d.size() == 7 + 64 && d.starts_with("sha256:") &&
         std::all_of(d.begin() + 7, d.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<PinnedRoot> parse_pin(const nlohmann::json& j) {
  if (!j.is_object() || j.size() != 3 || !j.contains("trust_dir") || !j.contains("version") || !j.contains("digest") ||
      !j["trust_dir"].is_string() || !j["version"].is_number_integer() || !j["digest"].is_string()) {
    return input_error("trust state: an entry is {trust_dir, version, digest}");
  }
  PinnedRoot p{j["trust_dir"].get<std::string>(), j["version"].get<std::int64_t>(), j["digest"].get<std::string>()};
  if (p.trust_dir.empty() || p.trust_dir.front() != '/')
    return input_error("trust state: trust_dir must be an absolute path");
  if (p.version < 1) return input_error("trust state: version must be 1 or more");
  if (!is_digest(p.digest)) return input_error("trust state: digest must be sha256:<64 hex>");
  return p;
}

}  // namespace

const PinnedRoot* TrustState::find(std::string_view trust_dir) const {
  for (const auto& r : roots) {
    if (r.trust_dir == trust_dir) return &r;
  }
  return nullptr;
}

std::string root_digest(const TrustRoot& root) { return crypto::sha256_digest(as_bytes(root.canonical_signed)); }

Result<TrustState> parse_trust_state(std::string_view text) {
  if (text.size() > kMaxTrustState) return input_error("trust state: larger than " + byte_size_text(kMaxTrustState));
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.size() != 2 || !j.contains("_type") || j["_type"] != kType || !j.contains("roots") ||
      !j["roots"].is_array()) {
    return input_error("trust state: not a chartprov trust state ({_type, roots})");
  }
  if (j["roots"].size() > kMaxPinnedRoots) return input_error("trust state: too many trust directories");
  TrustState state;
  for (const auto& e : j["roots"]) {
    TRY(PinnedRoot p, parse_pin(e));
    if (state.find(p.trust_dir) != nullptr) return input_error("trust state: " + p.trust_dir + " is listed twice");
    state.roots.push_back(std::move(p));
  }
  return state;
}

std::string serialize_trust_state(const TrustState& state) {
  nlohmann::ordered_json roots = nlohmann::ordered_json::array();
  for (const auto& r : state.roots) {
    nlohmann::ordered_json e;
    e["trust_dir"] = r.trust_dir;
    e["version"] = r.version;
    e["digest"] = r.digest;
    roots.push_back(std::move(e));
  }
  nlohmann::ordered_json j;
  j["_type"] = kType;
  j["roots"] = std::move(roots);
  return j.dump(2) + "\n";
}

PinCheck check_pin(const PinnedRoot* pin, std::int64_t version, std::string_view digest) {
  if (pin == nullptr) return PinCheck::unpinned;
  if (version < pin->version) return PinCheck::rollback;
  if (version > pin->version) return PinCheck::newer;
  return digest == pin->digest ? PinCheck::same : PinCheck::conflict;
}

TrustState with_pin(TrustState state, const PinnedRoot& pin) {
  for (auto& r : state.roots) {
    if (r.trust_dir == pin.trust_dir) {
      r = pin;
      return state;
    }
  }
  state.roots.push_back(pin);
  return state;
}

}  // namespace chartprov::trust
