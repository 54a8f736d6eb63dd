#include <cctype>

#include "commands.hpp"
#include "keyring_store.hpp"
#include "openpgp/secret_key.hpp"
#include "openpgp/signer.hpp"
#include "util/encoding.hpp"

namespace chartprov::rnpbridge {
namespace {

bool is_hex_id(const std::string& s) {
  if (s.size() != 8 && s.size() != 16 && s.size() != 40) return false;
  for (const char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// helm --key semantics: an exact user-id match wins, else user ids that
// contain the name; more than one entity is an error. A hex key id or
// fingerprint also works.
Result<Key> select_entity(rnp_ffi_t ffi, const std::string& name, const std::string& source) {
  TRY(std::vector<Key> keys, all_keys(ffi));
  std::vector<Key> exact, partial;
  for (auto& k : keys) {
    if (!flag(rnp_key_is_primary, k.get())) continue;
    const std::string fpr = fingerprint(k.get());
    std::string upper = name;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (is_hex_id(name) && fpr.size() >= upper.size() && fpr.compare(fpr.size() - upper.size(), upper.size(), upper) == 0) {
      exact.push_back(std::move(k));
      continue;
    }
    bool is_exact = false, is_partial = false;
    for (const auto& uid : valid_user_ids(k.get())) {
      is_exact = is_exact || uid == name;
      is_partial = is_partial || uid.find(name) != std::string::npos;
    }
    if (is_exact) {
      exact.push_back(std::move(k));
    } else if (is_partial) {
      partial.push_back(std::move(k));
    }
  }
  std::vector<Key>& found = !exact.empty() ? exact : partial;
  if (found.size() > 1) return input_error("more than one key contains the id \"" + name + "\" in " + source);
  if (found.empty()) return input_error("private key not found: \"" + name + "\" in " + source);
  return std::move(found.front());
}

// A GnuPG stub (gnu-dummy S2K, or a key on a smartcard) counts as "having a
// secret" for RNP but holds no key material we could sign with.
bool is_stub(rnp_key_handle_t k) {
  char* raw = nullptr;
  if (rnp_key_get_protection_type(k, &raw) != RNP_SUCCESS) return true;
  const std::string type = take_string(raw);
  return type == "GPG-None" || type == "GPG-Smartcard" || type == "Unknown";
}

bool usable_signing_key(rnp_key_handle_t k) {
  bool sign = false;
  return rnp_key_allows_usage(k, "sign", &sign) == RNP_SUCCESS && sign && flag(rnp_key_is_valid, k) &&
         !flag(rnp_key_is_revoked, k) && flag(rnp_key_have_secret, k) && !is_stub(k);
}

// The primary if it may sign, else the newest valid signing subkey (helm
// always takes the primary, even a certify-only one nobody can verify).
Result<Key> signing_key_of(rnp_ffi_t ffi, rnp_key_handle_t primary) {
  if (flag(rnp_key_is_revoked, primary)) return input_error("key " + fingerprint(primary) + " is revoked");
  if (!flag(rnp_key_is_valid, primary)) return input_error("key " + fingerprint(primary) + " is expired or invalid");
  if (usable_signing_key(primary)) {
    rnp_key_handle_t again = nullptr;
    const std::string fpr = fingerprint(primary);
    rnp_locate_key(ffi, "fingerprint", fpr.c_str(), &again);
    return Key(again);
  }
  size_t count = 0;
  rnp_key_get_subkey_count(primary, &count);
  Key best;
  std::uint32_t best_created = 0;
  for (size_t i = 0; i < count; ++i) {
    rnp_key_handle_t raw = nullptr;
    if (rnp_key_get_subkey_at(primary, i, &raw) != RNP_SUCCESS) continue;
    Key sub(raw);
    std::uint32_t created = 0;
    rnp_key_get_creation(sub.get(), &created);
    if (usable_signing_key(sub.get()) && (!best || created >= best_created)) {
      best = std::move(sub);
      best_created = created;
    }
  }
  if (!best) {
    if (!flag(rnp_key_have_secret, primary)) {
      return input_error("provided key is not a private key: try a keyring with secret keys");
    }
    return input_error("key " + fingerprint(primary) +
                       " has no valid signing key with its secret part (expired, revoked or a GnuPG stub)");
  }
  return best;
}

}  // namespace

Result<nlohmann::json> sign_request(const std::string& request_json) {
  nlohmann::json req;
  try {
    req = nlohmann::json::parse(request_json);
  } catch (const std::exception&) {
    return usage_error("malformed sign request");
  }
  if (!req.is_object() || !req["source"].is_string() || !req["key"].is_string() || !req["data"].is_string() ||
      !req["created"].is_number_unsigned() || req["created"].get<std::uint64_t>() > 0xffffffffu ||
      (req.contains("passphrase") && !req["passphrase"].is_string())) {
    return usage_error("sign request needs source, key, created and data");
  }
  SecretString passphrase(req.value("passphrase", std::string()));
  if (req.contains("passphrase")) {
    auto& p = req["passphrase"].get_ref<std::string&>();
    secure_wipe(p.data(), p.size());
  }
  const std::string source = req["source"];
  TRY(const Bytes data, base64_decode(req["data"].get<std::string>()));
  Result<Ffi> loaded = internal_error("no keyring");
  if (req.contains("keyring_data") && req["keyring_data"].is_string()) {
    TRY(Bytes ring, base64_decode(req["keyring_data"].get<std::string>()));
    const SecretBytes guard(std::move(ring));
    loaded = load_store_bytes(guard.bytes(), source, true);
  } else {
    loaded = load_store(source, true);
  }
  if (!loaded.ok()) return loaded.error();
  const Ffi ffi = std::move(*loaded);
  TRY(const Key entity, select_entity(ffi.get(), req["key"], source));
  TRY(const Key key, signing_key_of(ffi.get(), entity.get()));

  if (flag(rnp_key_is_protected, key.get())) {
    if (passphrase.empty()) {
      return input_error("key " + fingerprint(key.get()) + " is protected: a passphrase is needed");
    }
    if (rnp_key_unprotect(key.get(), passphrase.str().c_str()) != RNP_SUCCESS) {
      return input_error("wrong passphrase for key " + fingerprint(key.get()));
    }
  }
  TRY(Bytes secret_body, key_packet_body(key.get(), true));
  const SecretBytes secret(std::move(secret_body));
  TRY(const auto signer, openpgp::signer_from_secret_key_packet(secret.bytes()));
  openpgp::SignOptions opts;
  opts.type = 0x01;
  opts.hash = openpgp::HashAlgo::kSha512;
  opts.created = req["created"].get<std::uint32_t>();
  TRY(const Bytes packet, openpgp::make_signature_packet(*signer, opts, data));
  return nlohmann::json{{"signature", base64_encode(packet)},
                        {"fingerprint", fingerprint(key.get())},
                        {"primary_fingerprint", fingerprint(entity.get())},
                        {"user_ids", valid_user_ids(entity.get())}};
}

}  // namespace chartprov::rnpbridge
