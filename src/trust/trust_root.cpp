#include "trust/trust_root.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/cert.hpp"
#include "openpgp/openssl_key.hpp"
#include "trust/json_fields.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"
#include "util/glob.hpp"
#include "util/nesting.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::trust {
namespace {

using nlohmann::json;

constexpr std::string_view kType = "chartprov-trust-root";

// Canonical form: nlohmann's object is a sorted map and dump() is compact;
// floats are refused at parse time so every number prints one way.
bool has_float(const json& j) {
  if (j.is_number_float()) return true;
  if (j.is_structured()) {
    for (const auto& v : j) {
      if (has_float(v)) return true;
    }
  }
  return false;
}

Result<PublicKeyEntry> parse_key(const json& j, const std::string& where) {
  PublicKeyEntry k;
  TRY(k.key_id, str(j, "key_id", true, where));
  TRY(k.algorithm, str(j, "algorithm", true, where));
  TRY(k.public_key_pem, str(j, "public_key", true, where));
  TRY(k.key, crypto::parse_public_key_pem(k.public_key_pem));
  TRY(const std::string id, crypto::spki_key_id(k.key));
  if (id != k.key_id) return input_error(where + ": key_id is not the SHA-256 of its public key");
  return k;
}

// A listed certificate must be the key it is listed with: same primary key
// material (by SPKI) and the listed fingerprint, and one certificate only.
Status check_certificate(const SigningKey& k, const std::string& where) {
  const std::string what = where + ": openpgp_certificate ";
  auto armored = openpgp::dearmor(k.openpgp_certificate);
  if (!armored || armored->label != "PUBLIC KEY BLOCK")
    return input_error(what + "is not an armored OpenPGP public key");
  auto packets = openpgp::read_packets(armored->data);
  if (!packets || packets->empty() || packets->front().tag != 6)
    return input_error(what + "does not start with a primary key");
  auto cert = openpgp::leading_certificate(*packets);
  if (!cert) return input_error(what + "has an unreadable primary key: " + cert.error().message);
  if (cert->more) return input_error(what + "holds more than one certificate");
  if (hex_encode_upper(cert->primary.fingerprint) != k.openpgp_fingerprint) {
    return input_error(what + "is not the key with openpgp_fingerprint " + k.openpgp_fingerprint);
  }
  auto pkey = openpgp::to_openssl_public_key(cert->primary);
  if (!pkey) return input_error(what + "has a primary key chartprov cannot use");
  TRY(const std::string id, crypto::spki_key_id(*pkey));
  if (id != k.key.key_id) return input_error(what + "is not the key with this key_id");
  return ok_status();
}

// The embedded trusted_root.json, checked as a file of its own would be, and
// kept as its canonical text (keys sorted, compact).
Result<std::string> embedded_trusted_root(const json& j) {
  if (!j.is_object()) return input_error("signed: \"sigstore_trusted_root\" must be a trusted_root.json object");
  std::string text = j.dump();
  if (auto parsed = sigstore::parse_trusted_root(text); !parsed) {
    return input_error("signed: \"sigstore_trusted_root\": " + parsed.error().message);
  }
  return text;
}

Result<TrustRoot> parse_signed(const json& s) {
  TRY_STATUS(check_fields(s,
                          {"_type", "version", "expires", "root_threshold", "root_keys", "signing_keys",
                           "signing_identities", "sigstore_trusted_root"},
                          "signed"));
  TrustRoot r;
  TRY(const std::string type, str(s, "_type", true, "signed"));
  if (type != kType) return input_error("not a chartprov trust root (_type \"" + type + "\")");
  const auto version = s.find("version");
  if (version == s.end() || !version->is_number_integer() || version->get<std::int64_t>() < 1) {
    return input_error("signed: \"version\" must be a positive integer");
  }
  r.version = version->get<std::int64_t>();
  TRY(const auto expires, time_field(s, "expires", true, "signed"));
  r.expires = *expires;
  const auto threshold = s.find("root_threshold");
  if (threshold == s.end() || !threshold->is_number_unsigned() || threshold->get<std::uint64_t>() < 1 ||
      threshold->get<std::uint64_t>() > kMaxKeys) {
    return input_error("signed: \"root_threshold\" must be at least 1");
  }
  r.root_threshold = static_cast<unsigned>(threshold->get<std::uint64_t>());
  const auto roots = s.find("root_keys");
  if (roots == s.end() || !roots->is_array() || roots->empty() || roots->size() > kMaxKeys) {
    return input_error("signed: \"root_keys\" must be a non-empty list");
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < roots->size(); ++i) {
    const std::string where = "root key #" + std::to_string(i + 1);
    TRY_STATUS(check_fields((*roots)[i], {"key_id", "algorithm", "public_key"}, where));
    TRY(PublicKeyEntry k, parse_key((*roots)[i], where));
    if (!ids.insert(k.key_id).second) return input_error(where + " is listed twice");
    r.root_keys.push_back(std::move(k));
  }
  if (r.root_threshold > r.root_keys.size())
    return input_error("signed: root_threshold is larger than the number of root keys");
  if (const auto signing = s.find("signing_keys"); signing != s.end()) {
    if (!signing->is_array() || signing->size() > kMaxKeys)
      return input_error("signed: \"signing_keys\" must be a list");
    std::set<std::string> sids;
    for (std::size_t i = 0; i < signing->size(); ++i) {
      const json& j = (*signing)[i];
      const std::string where = "signing key #" + std::to_string(i + 1);
      TRY_STATUS(
          check_fields(j,
                       {"key_id", "algorithm", "public_key", "openpgp_fingerprint", "openpgp_certificate", "owner",
                        "allowed_charts", "allowed_environments", "not_before", "not_after", "status", "revoked_at"},
                       where));
      SigningKey k;
      TRY(k.key, parse_key(j, where));
      if (!sids.insert(k.key.key_id).second) return input_error(where + " is listed twice");
      TRY(k.openpgp_fingerprint, str(j, "openpgp_fingerprint", false, where));
      TRY(k.openpgp_certificate, str(j, "openpgp_certificate", false, where));
      if (!k.openpgp_certificate.empty()) TRY_STATUS(check_certificate(k, where));
      TRY(k.owner, str(j, "owner", false, where));
      TRY(k.allowed_charts, str_list(j, "allowed_charts", kMaxKeys, where));
      for (const auto& g : k.allowed_charts) {
        if (auto st = check_glob(g); !st) return input_error(where + ": allowed_charts: " + st.error().message);
      }
      TRY(k.allowed_environments, str_list(j, "allowed_environments", kMaxKeys, where));
      TRY(const auto nb, time_field(j, "not_before", false, where));
      k.not_before = nb.value_or(0);
      TRY(k.not_after, time_field(j, "not_after", false, where));
      TRY(const std::string status, str(j, "status", true, where));
      if (status != "active" && status != "revoked") return input_error(where + ": status must be active or revoked");
      k.revoked = status == "revoked";
      TRY(k.revoked_at, time_field(j, "revoked_at", false, where));
      if (k.revoked && !k.revoked_at) return input_error(where + ": a revoked key needs revoked_at");
      r.signing_keys.push_back(std::move(k));
    }
  }
  if (const auto listed = s.find("signing_identities"); listed != s.end()) {
    TRY(r.signing_identities, parse_signing_identities(*listed));
  }
  if (const auto root = s.find("sigstore_trusted_root"); root != s.end()) {
    TRY(r.sigstore_trusted_root, embedded_trusted_root(*root));
  }
  r.canonical_signed = s.dump();
  return r;
}

}  // namespace

bool SigningKey::counts_for(std::string_view environment) const {
  return std::any_of(allowed_environments.begin(), allowed_environments.end(),
                     [environment](const std::string& e) { return e == "*" || e == environment; });
}

const SigningKey* TrustRoot::find_signing_key(std::string_view key_id) const {
  for (const auto& k : signing_keys) {
    if (k.key.key_id == key_id) return &k;
  }
  return nullptr;
}

Result<SignedTrustRoot> parse_trust_root(std::string_view text) {
  if (text.size() > kMaxTrustRoot)
    return input_error("trust root larger than " + byte_size_text(kMaxTrustRoot) + " (refused unread)");
  if (json_nests_deeper_than(text)) {
    return input_error("trust root nests deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  }
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded()) return input_error("trust root is not valid JSON");
  TRY_STATUS(check_fields(doc, {"signed", "signatures"}, "trust root"));
  const auto s = doc.find("signed");
  if (s == doc.end()) return input_error("trust root without \"signed\"");
  if (has_float(*s)) return input_error("trust root: numbers must be integers (canonical form)");
  SignedTrustRoot out;
  TRY(out.root, parse_signed(*s));
  const auto sigs = doc.find("signatures");
  if (sigs == doc.end() || !sigs->is_array() || sigs->size() > kMaxKeys)
    return input_error("trust root: \"signatures\" must be a list");
  for (const auto& j : *sigs) {
    TRY_STATUS(check_fields(j, {"key_id", "sig"}, "signature"));
    Signature sig;
    TRY(sig.key_id, str(j, "key_id", true, "signature"));
    TRY(const std::string b64, str(j, "sig", true, "signature"));
    auto bytes = base64_decode(b64);
    if (!bytes) return input_error("signature: \"sig\" is not base64");
    sig.sig = std::move(*bytes);
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

std::string serialize_trust_root(std::string_view canonical_signed, const std::vector<Signature>& signatures) {
  json sigs = json::array();
  for (const auto& s : signatures) sigs.push_back({{"key_id", s.key_id}, {"sig", base64_encode(s.sig)}});
  const json doc = {{"signed", json::parse(canonical_signed, nullptr, false)}, {"signatures", sigs}};
  return doc.dump(2) + "\n";
}

unsigned count_valid_signatures(const SignedTrustRoot& doc, const std::vector<PublicKeyEntry>& keys) {
  std::set<std::string> good;
  for (const auto& sig : doc.signatures) {
    for (const auto& k : keys) {
      if (k.key_id != sig.key_id || good.count(k.key_id) != 0) continue;
      if (cosign::verify_blob(k.key, as_bytes(doc.root.canonical_signed), sig.sig)) good.insert(k.key_id);
    }
  }
  return static_cast<unsigned>(good.size());
}

Result<TrustRoot> accept_initial(std::string_view json_text, std::int64_t now) {
  TRY(SignedTrustRoot doc, parse_trust_root(json_text));
  const unsigned own = count_valid_signatures(doc, doc.root.root_keys);
  if (own < doc.root.root_threshold) {
    return verify_error("the trust root is signed by " + std::to_string(own) + " of its root keys; it needs " +
                        std::to_string(doc.root.root_threshold));
  }
  if (doc.root.expires <= now) {
    return verify_error("the trust root expired at " + format_rfc3339(doc.root.expires) +
                        " (freeze attack, or renew it)");
  }
  return std::move(doc.root);
}

Result<TrustRoot> accept_update(const TrustRoot& current, std::string_view json_text, std::int64_t now) {
  TRY(SignedTrustRoot doc, parse_trust_root(json_text));
  const auto& next = doc.root;
  if (next.version <= current.version) {
    return verify_error("version " + std::to_string(next.version) + " is not newer than the trusted version " +
                        std::to_string(current.version) + " (rollback refused)");
  }
  if (next.version != current.version + 1) {
    return verify_error("version " + std::to_string(next.version) + " skips version " +
                        std::to_string(current.version + 1) + "; apply each version in turn (fast-forward refused)");
  }
  const unsigned by_current = count_valid_signatures(doc, current.root_keys);
  if (by_current < current.root_threshold) {
    return verify_error("signed by " + std::to_string(by_current) + " of the trusted root keys; " +
                        std::to_string(current.root_threshold) + " are needed");
  }
  const unsigned by_own = count_valid_signatures(doc, next.root_keys);
  if (by_own < next.root_threshold) {
    return verify_error("signed by " + std::to_string(by_own) + " of its own root keys; " +
                        std::to_string(next.root_threshold) + " are needed");
  }
  if (next.expires <= now) {
    return verify_error("version " + std::to_string(next.version) + " expired at " + format_rfc3339(next.expires) +
                        " (freeze attack refused)");
  }
  return std::move(doc.root);
}

Result<Signature> sign_trust_root(std::string_view canonical_signed, const signer::Signer& root_key) {
  TRY(std::string id, crypto::spki_key_id(root_key.public_key()));
  TRY(Bytes sig, root_key.sign_message(as_bytes(canonical_signed)));
  if (!cosign::verify_blob(root_key.public_key(), as_bytes(canonical_signed), sig)) {
    return verify_error(root_key.describe() + " made a signature that does not verify");
  }
  return Signature{std::move(id), std::move(sig)};
}

}  // namespace chartprov::trust
