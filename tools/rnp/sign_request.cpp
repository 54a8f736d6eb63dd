#include <cctype>

#include "commands.hpp"
#include "keyring_store.hpp"
#include "openpgp/secret_key.hpp"
#include "openpgp/signature.hpp"
#include "openpgp/signer.hpp"
#include "util/encoding.hpp"

namespace chartprov::rnpbridge {
namespace {

// A key id or fingerprint as gpg takes it: 8, 16 or 40 hex digits, with or
// without 0x. Returns it upper-case without the prefix, else "".
std::string hex_id(const std::string& name) {
  std::string id = name.size() > 2 && name[0] == '0' && (name[1] == 'x' || name[1] == 'X') ? name.substr(2) : name;
  if (id.size() != 8 && id.size() != 16 && id.size() != 40) return "";
  for (auto& c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return id;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Whether the entity's primary key or one of its subkeys has this id
// (a fingerprint, or its last 8 or 16 hex digits).
bool has_key_id(rnp_key_handle_t primary, const std::string& id) {
  if (ends_with(fingerprint(primary), id)) return true;
  size_t count = 0;
  rnp_key_get_subkey_count(primary, &count);
  for (size_t i = 0; i < count; ++i) {
    rnp_key_handle_t raw = nullptr;
    if (rnp_key_get_subkey_at(primary, i, &raw) != RNP_SUCCESS) continue;
    const Key sub(raw);
    if (ends_with(fingerprint(sub.get()), id)) return true;
  }
  return false;
}

// helm --key semantics: an exact user-id match wins, else user ids that
// contain the name; more than one entity is an error. A hex key id or
// fingerprint (of the primary or a subkey) names its entity, as in gpg.
Result<Key> select_entity(rnp_ffi_t ffi, const std::string& name, const std::string& source) {
  TRY(std::vector<Key> keys, all_keys(ffi));
  const std::string id = hex_id(name);
  std::vector<Key> exact, partial;
  for (auto& k : keys) {
    if (!flag(rnp_key_is_primary, k.get())) continue;
    if (!id.empty() && has_key_id(k.get(), id)) {
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

// The request's optional "hash" (default SHA512): SHA-2 only, what Helm
// and every peer verify.
Result<openpgp::HashAlgo> hash_of(const nlohmann::json& req) {
  if (!req.contains("hash")) return openpgp::HashAlgo::kSha512;
  if (!req["hash"].is_string()) return usage_error("sign request: hash must be a string");
  const std::string name = req["hash"];
  for (const auto h : {openpgp::HashAlgo::kSha256, openpgp::HashAlgo::kSha384, openpgp::HashAlgo::kSha512,
                       openpgp::HashAlgo::kSha224}) {
    if (openpgp::hash_header_name(static_cast<std::uint8_t>(h)) == name) return h;
  }
  return usage_error("sign request: unsupported hash \"" + name + "\" (SHA256, SHA384, SHA512, SHA224)");
}

// The request's optional "type" (default 1): 0x00 binary or 0x01 canonical text.
Result<std::uint8_t> type_of(const nlohmann::json& req) {
  if (!req.contains("type")) return std::uint8_t{0x01};
  if (!req["type"].is_number_unsigned() || req["type"].get<std::uint64_t>() > 1) {
    return usage_error("sign request: type must be 0 (binary) or 1 (text)");
  }
  return static_cast<std::uint8_t>(req["type"].get<std::uint64_t>());
}

Status unlock(rnp_key_handle_t key, const SecretString& passphrase) {
  if (!flag(rnp_key_is_protected, key)) return ok_status();
  if (passphrase.empty()) return input_error("key " + fingerprint(key) + " is protected: a passphrase is needed");
  const rnp_result_t rc = rnp_key_unprotect(key, passphrase.str().c_str());
  if (rc == RNP_ERROR_BAD_PASSWORD) return input_error("wrong passphrase for key " + fingerprint(key));
  if (rc != RNP_SUCCESS) {
    return input_error("cannot unlock key " + fingerprint(key) + ": " + rnp_result_to_string(rc));
  }
  return ok_status();
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
  if (req["key"].get_ref<const std::string&>().empty()) return usage_error("sign request: empty key name");
  TRY(const openpgp::HashAlgo hash, hash_of(req));
  TRY(const std::uint8_t type, type_of(req));
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
  TRY_STATUS(unlock(key.get(), passphrase));
  TRY(Bytes secret_body, key_packet_body(key.get(), true));
  const SecretBytes secret(std::move(secret_body));
  TRY(const auto signer, openpgp::signer_from_secret_key_packet(secret.bytes()));
  openpgp::SignOptions opts;
  opts.type = type;
  opts.hash = hash;
  opts.created = req["created"].get<std::uint32_t>();
  TRY(const Bytes packet, openpgp::make_signature_packet(*signer, opts, data));
  return nlohmann::json{{"signature", base64_encode(packet)},
                        {"fingerprint", fingerprint(key.get())},
                        {"primary_fingerprint", fingerprint(entity.get())},
                        {"user_ids", valid_user_ids(entity.get())}};
}

}  // namespace chartprov::rnpbridge
