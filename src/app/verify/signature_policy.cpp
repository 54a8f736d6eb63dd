#include "app/verify/signature_policy.hpp"

#include <algorithm>
#include <optional>

#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pkey.hpp"
#include "openpgp/openssl_key.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

using openpgp::HashAlgo;
using openpgp::KeyringKey;
using openpgp::PubKeyAlgo;

// The keys a signature names: by issuer fingerprint when it has one (exact),
// else by the 64-bit key id.
std::vector<const KeyringKey*> candidate_keys(const openpgp::Signature& sig, const openpgp::Keyring& keyring) {
  std::vector<const KeyringKey*> out;
  for (const auto& k : keyring.keys) {
    const bool match = !sig.issuer_fingerprint.empty() ? k.key.fingerprint == sig.issuer_fingerprint
                                                       : sig.issuer_key_id && k.key.key_id == *sig.issuer_key_id;
    if (match) out.push_back(&k);
  }
  return out;
}

std::string weak_key_reason(const openpgp::PublicKey& key) {
  switch (key.algo) {
    case PubKeyAlgo::kRsa:
    case PubKeyAlgo::kRsaSignOnly:
      if (key.bits < kMinRsaBits) return "RSA key of " + std::to_string(key.bits) + " bits is too weak (minimum 2048)";
      return "";
    case PubKeyAlgo::kDsa:
      if (key.bits < kMinDsaBits) return "DSA key of " + std::to_string(key.bits) + " bits is too weak (minimum 2048)";
      return "";
    case PubKeyAlgo::kEcdsa:
    case PubKeyAlgo::kEddsaLegacy:
    case PubKeyAlgo::kEd25519:
      if (key.curve.empty()) return "unsupported curve";
      return "";
    default: return "unsupported public-key algorithm " + std::to_string(static_cast<int>(key.algo));
  }
}

bool pinned_ok(const KeyringKey& k, const std::vector<std::string>& pinned) {
  if (pinned.empty()) return true;
  const std::string fpr = hex_encode_upper(k.key.fingerprint);
  const std::string primary = hex_encode_upper(k.primary_fingerprint);
  return std::any_of(pinned.begin(), pinned.end(), [&](const std::string& p) { return p == fpr || p == primary; });
}

// The key id a .sig or bundle by this key carries (SHA-256 of its canonical
// SPKI), or "" for a key OpenSSL cannot take. `built`: the key as OpenSSL
// uses it when the caller built it already (not prebuilt in the keyring).
std::string spki_key_id(const KeyringKey& k, const crypto::PKey* built = nullptr) {
  if (!k.spki_key_id.empty()) return k.spki_key_id;  // build_openssl_keys computed it once
  std::optional<crypto::PKey> own;
  const crypto::PKey* key = k.openssl_key ? k.openssl_key.get() : built;
  if (key == nullptr) {
    auto p = openpgp::to_openssl_public_key(k.key);
    if (!p.ok()) return "";
    own.emplace(std::move(*p));
    key = &*own;
  }
  auto id = crypto::spki_key_id(*key);
  return id.ok() ? std::move(*id) : "";
}

// The primary key of a subkey's certificate, when the keyring holds it.
const KeyringKey* primary_of(const KeyringKey& subkey, const openpgp::Keyring& keyring) {
  for (const auto& k : keyring.keys) {
    if (!k.is_subkey && k.key.fingerprint == subkey.primary_fingerprint) return &k;
  }
  return nullptr;
}

SignatureReport fail(SignatureReport r, SignatureStatus status, std::string reason) {
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

}  // namespace

bool is_weak_hash(std::uint8_t hash_algo) {
  const auto h = static_cast<HashAlgo>(hash_algo);
  return h == HashAlgo::kMd5 || h == HashAlgo::kSha1 || h == HashAlgo::kRipemd160;
}

SignatureReport evaluate_signature(const openpgp::Signature& sig, const openpgp::Keyring& keyring,
                                   std::string_view signed_text, std::int64_t now,
                                   const std::vector<std::string>& pinned) {
  SignatureReport r;
  r.hash = openpgp::hash_header_name(sig.hash_algo);
  if (r.hash.empty()) r.hash = "hash#" + std::to_string(sig.hash_algo);
  r.created = sig.created;
  if (sig.issuer_key_id) r.key_id = openpgp::key_id_hex(*sig.issuer_key_id);
  if (!sig.issuer_fingerprint.empty()) r.fingerprint = hex_encode_upper(sig.issuer_fingerprint);

  const auto candidates = candidate_keys(sig, keyring);
  if (candidates.empty()) {
    const std::string who = !r.fingerprint.empty() ? r.fingerprint : (!r.key_id.empty() ? r.key_id : "an unnamed key");
    return fail(r, SignatureStatus::unknown_key, "signature made by " + who + ", which is not in the keyring");
  }
  // Several keys can share a 64-bit id; the signature must verify with one
  // of them, and that one is judged.
  // A key the keyring did not prebuild is built here once, for the check and its key id.
  const KeyringKey* key = candidates.front();
  std::optional<crypto::PKey> built;
  openpgp::SignatureCheck check;
  for (const auto* c : candidates) {
    std::optional<crypto::PKey> own;
    const crypto::PKey* prebuilt = c->openssl_key.get();
    if (prebuilt == nullptr) {
      if (auto p = openpgp::to_openssl_public_key(c->key); p) {
        own.emplace(std::move(*p));
        prebuilt = &*own;
      }
    }
    check = openpgp::verify_signature(sig, c->key, as_bytes(signed_text), prebuilt);
    key = c;
    built = std::move(own);
    if (check.valid) break;
  }
  r.fingerprint = hex_encode_upper(key->key.fingerprint);
  r.primary_fingerprint = hex_encode_upper(key->primary_fingerprint);
  r.key_id = openpgp::key_id_hex(key->key.key_id);
  r.user_ids = key->user_ids;
  r.key_algorithm = openpgp::algorithm_label(key->key);

  // Policy first: a weak or unusable key is refused even if the math holds.
  if (sig.type != 0x01 && sig.type != 0x00) {
    return fail(r, SignatureStatus::bad,
                "signature type 0x" + hex_encode(Bytes{sig.type}) + " is not a document signature");
  }
  if (sig.has_unknown_critical) return fail(r, SignatureStatus::bad, "signature has an unknown critical subpacket");
  if (is_weak_hash(sig.hash_algo))
    return fail(r, SignatureStatus::weak_hash, r.hash + " signatures are refused (too weak)");
  if (const auto weak = weak_key_reason(key->key); !weak.empty()) return fail(r, SignatureStatus::weak_key, weak);
  if (key->revoked) {
    return fail(r, SignatureStatus::revoked,
                "key " + r.fingerprint + " is revoked" +
                    (key->revocation_reason.empty() ? "" : " (" + key->revocation_reason + ")"));
  }
  if (key->expires_at != 0 && now >= key->expires_at) {
    return fail(r, SignatureStatus::expired, "key " + r.fingerprint + " expired at " + std::to_string(key->expires_at));
  }
  if (!key->valid)
    return fail(r, SignatureStatus::invalid_key, "key " + r.fingerprint + " has no valid self-signature or binding");
  if (key->valid_until != 0 && now >= key->valid_until) {
    return fail(r, SignatureStatus::invalid_key,
                "key " + r.fingerprint + " is not valid after " + std::to_string(key->valid_until) +
                    " (its self-signature or binding expired)");
  }
  if (!key->can_sign)
    return fail(r, SignatureStatus::not_signing_key, "key " + r.fingerprint + " is not allowed to sign (key flags)");
  if (!sig.created) return fail(r, SignatureStatus::bad, "signature has no creation time");
  if (*sig.created < key->key.created) return fail(r, SignatureStatus::bad, "signature predates its key");
  if (static_cast<std::int64_t>(*sig.created) > now + kClockSkewSeconds) {
    return fail(r, SignatureStatus::bad, "signature creation time is in the future");
  }
  if (key->expires_at != 0 && static_cast<std::int64_t>(*sig.created) >= key->expires_at) {
    return fail(r, SignatureStatus::expired, "signature made after key " + r.fingerprint + " expired");
  }
  if (sig.expires_after && *sig.expires_after != 0 &&
      now >= static_cast<std::int64_t>(*sig.created) + *sig.expires_after) {
    return fail(r, SignatureStatus::expired, "signature expired");
  }
  if (!check.valid) return fail(r, SignatureStatus::bad, "invalid signature: " + check.reason);
  if (!pinned_ok(*key, pinned)) {
    return fail(r, SignatureStatus::not_pinned,
                "signed by " + r.fingerprint + ", which is not one of the --signer keys");
  }
  r.status = SignatureStatus::good;
  r.spki_key_id = spki_key_id(*key, built ? &*built : nullptr);
  if (const KeyringKey* primary = key->is_subkey ? primary_of(*key, keyring) : nullptr; primary != nullptr) {
    r.primary_spki_key_id = spki_key_id(*primary);
  }
  r.key_expires_at = key->expires_at;
  return r;
}

}  // namespace chartprov::app
