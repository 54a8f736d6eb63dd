#include "tlog/rekor_entry.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

using nlohmann::json;

const json* at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* p : path) {
    if (!cur->is_object()) return nullptr;
    const auto it = cur->find(p);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string str_at(const json& j, std::initializer_list<const char*> path) {
  const json* v = at(j, path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// The key in a body is base64 of PEM (hashedrekord) or of PEM again (intoto).
Status check_key(const std::string& b64_pem, const std::optional<Bytes>& spki) {
  if (!spki || b64_pem.empty()) return ok_status();
  auto pem = base64_decode(b64_pem);
  if (!pem) return verify_error("the log entry's public key is not base64");
  auto key = crypto::parse_public_key_pem(as_chars(*pem));
  if (!key) return verify_error("the log entry's public key does not parse");
  auto der = crypto::spki_der(*key);
  if (!der || *der != *spki) return verify_error("the log entry names another public key");
  return ok_status();
}

Status check_sig_b64(const std::string& b64, const Bytes& want, bool double_encoded) {
  auto sig = base64_decode(b64);
  if (sig && double_encoded) sig = base64_decode(as_chars(*sig));
  if (!sig || *sig != want) return verify_error("the log entry records another signature");
  return ok_status();
}

}  // namespace

bool verify_signed_entry_timestamp(const crypto::PKey& log_key, ByteView body, std::int64_t integrated_time,
                                   ByteView log_id, std::int64_t log_index, ByteView set) {
  // Keys sorted, no spaces: nlohmann's default object is sorted and dump() is compact.
  const json canonical = {{"body", base64_encode(body)},
                          {"integratedTime", integrated_time},
                          {"logID", hex_encode(log_id)},
                          {"logIndex", log_index}};
  const std::string text = canonical.dump();
  const Bytes digest = crypto::sha256(as_bytes(text));
  const auto rs = crypto::decode_dsa_signature_der(set);
  return rs.ok() && crypto::key_type(log_key) == crypto::KeyType::kEc &&
         crypto::verify_dsa_or_ecdsa(log_key, digest, rs->r, rs->s);
}

Status check_entry_body(ByteView body, std::string_view kind, std::string_view version, const ExpectedEntry& e) {
  const json j = parse_untrusted_json(body);
  if (j.is_discarded() || !j.is_object()) return verify_error("the log entry body is not JSON");
  if (str_at(j, {"kind"}) != kind || str_at(j, {"apiVersion"}) != version) {
    return verify_error("the log entry body's kind/version differ from the bundle's");
  }
  if (kind == "hashedrekord" && version == "0.0.1") {
    if (str_at(j, {"spec", "data", "hash", "algorithm"}) != "sha256")
      return verify_error("the log entry hash is not sha256");
    if (!e.sha256_hex || str_at(j, {"spec", "data", "hash", "value"}) != *e.sha256_hex) {
      return verify_error("the log entry records another artifact digest");
    }
    TRY_STATUS(check_sig_b64(str_at(j, {"spec", "signature", "content"}), e.signature, false));
    return check_key(str_at(j, {"spec", "signature", "publicKey", "content"}), e.spki);
  }
  if (kind == "dsse" && version == "0.0.1") {
    const json* sigs = at(j, {"spec", "signatures"});
    if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
      return verify_error("the dsse entry must hold one signature");
    TRY_STATUS(check_sig_b64(str_at((*sigs)[0], {"signature"}), e.signature, false));
    if (!e.payload_sha256_hex || str_at(j, {"spec", "payloadHash", "value"}) != *e.payload_sha256_hex) {
      return verify_error("the log entry records another payload");
    }
    return check_key(str_at((*sigs)[0], {"verifier"}), e.spki);
  }
  if (kind == "intoto" && version == "0.0.2") {
    const json* sigs = at(j, {"spec", "content", "envelope", "signatures"});
    if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
      return verify_error("the intoto entry must hold one signature");
    TRY_STATUS(check_sig_b64(str_at((*sigs)[0], {"sig"}), e.signature, true));
    if (!e.payload_sha256_hex || str_at(j, {"spec", "content", "payloadHash", "value"}) != *e.payload_sha256_hex) {
      return verify_error("the log entry records another payload");
    }
    return check_key(str_at((*sigs)[0], {"publicKey"}), e.spki);
  }
  return verify_error("log entries of kind " + std::string(kind) + " " + std::string(version) + " are not supported");
}

}  // namespace chartprov::tlog
