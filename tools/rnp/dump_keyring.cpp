#include <algorithm>

#include "commands.hpp"
#include "keyring_store.hpp"
#include "util/encoding.hpp"

namespace chartprov::rnpbridge {
namespace {

std::uint64_t expiry_of(rnp_key_handle_t key) {
  std::uint32_t created = 0, expiration = 0;
  rnp_key_get_creation(key, &created);
  rnp_key_get_expiration(key, &expiration);
  return expiration == 0 ? 0 : static_cast<std::uint64_t>(created) + expiration;
}

// RNP's validity window of the key (self-signatures, bindings, expiry,
// revocation; a subkey's primary too): 0 = never valid, UINT64_MAX = no end.
std::uint64_t valid_till(rnp_key_handle_t key) {
  std::uint64_t t = 0;
  return rnp_key_valid_till64(key, &t) == RNP_SUCCESS ? t : 0;
}

std::uint64_t earliest(std::uint64_t a, std::uint64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

std::string revocation_reason(rnp_key_handle_t key) {
  char* s = nullptr;
  if (rnp_key_get_revocation_reason(key, &s) != RNP_SUCCESS) return "";
  return take_string(s);
}

}  // namespace

Result<nlohmann::json> dump_keyring(const std::string& path) {
  TRY(const Ffi ffi, load_store(path, false));
  TRY(const std::vector<Key> keys, all_keys(ffi.get()));
  nlohmann::json list = nlohmann::json::array();
  for (const auto& k : keys) {
    auto body = key_packet_body(k.get(), false);
    if (!body.ok()) continue;  // a key RNP holds but we cannot express: skip it
    const bool is_primary = flag(rnp_key_is_primary, k.get());
    rnp_key_handle_t primary = k.get();
    Key primary_holder;
    if (!is_primary) {
      auto p = primary_of(ffi.get(), k.get());
      if (!p.ok()) continue;
      primary_holder = std::move(*p);
      primary = primary_holder.get();
    }
    bool revoked = flag(rnp_key_is_revoked, k.get());
    std::string reason = revoked ? revocation_reason(k.get()) : "";
    if (!is_primary && flag(rnp_key_is_revoked, primary)) {
      revoked = true;
      reason = revocation_reason(primary);
    }
    const std::uint64_t till = valid_till(k.get());
    list.push_back({{"public_key", base64_encode(*body)},
                    {"primary_fingerprint", fingerprint(primary)},
                    {"is_subkey", !is_primary},
                    {"user_ids", valid_user_ids(primary)},
                    {"can_sign",
                     [&] {
                       bool v = false;
                       return rnp_key_allows_usage(k.get(), "sign", &v) == RNP_SUCCESS && v;
                     }()},
                    {"valid", till > 0},
                    {"valid_until", till == UINT64_MAX ? 0 : till},
                    {"expires_at", earliest(expiry_of(k.get()), is_primary ? 0 : expiry_of(primary))},
                    {"revoked", revoked},
                    {"revocation_reason", reason}});
  }
  return nlohmann::json{{"version", kProtocolVersion}, {"source", path}, {"keys", list}};
}

}  // namespace chartprov::rnpbridge
