#include "app/verify/witness_cosignatures.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

struct Witness {
  std::string vkey;
  std::string name;
  crypto::PKey key;
};

std::vector<Witness> listed_witnesses(const policy::Policy& policy) {
  std::vector<Witness> out;
  for (const auto& env : policy.environments) {
    for (const auto& rule : env.rules) {
      if (!rule.transparency_log) continue;
      for (const auto& vkey : rule.transparency_log->witnesses) {
        if (std::any_of(out.begin(), out.end(), [&](const Witness& w) { return w.vkey == vkey; })) continue;
        auto parsed = policy::parse_witness_vkey(vkey);
        if (!parsed) continue;
        auto key = crypto::raw_public_key("ED25519", parsed->key);
        if (!key) continue;
        auto id = tlog::cosignature_key_id(*key, parsed->name);
        if (!id || hex_encode(*id) != parsed->key_id_hex) continue;
        out.push_back({vkey, parsed->name, std::move(*key)});
      }
    }
  }
  return out;
}

}  // namespace

void add_witness_cosignatures(const policy::Policy& policy, policy::Evidence& evidence) {
  const std::vector<Witness> witnesses = listed_witnesses(policy);
  if (witnesses.empty()) return;
  for (auto& envelope : evidence.envelopes) {
    for (auto& entry : envelope.log_entries) {
      if (entry.checkpoint.empty()) continue;
      auto cp = tlog::parse_checkpoint(entry.checkpoint);
      if (!cp) continue;
      for (const auto& w : witnesses) {
        if (tlog::cosigned_at(*cp, w.name, w.key)) entry.witnesses.push_back(w.vkey);
      }
    }
  }
}

}  // namespace chartprov::app
