#include "tlog/rekor_v1_body.hpp"

#include <string>

#include "tlog/entry_verifier.hpp"
#include "tlog/json_path.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

using nlohmann::json;

// The verifier of a v1 body: base64 of a PEM public key or certificate.
Status check_pem_verifier(const std::string& b64_pem, const ExpectedEntry& e) {
  if (b64_pem.empty()) return verify_error("the log entry names no public key or certificate");
  auto pem = base64_decode(b64_pem);
  if (!pem) return verify_error("the log entry's key is not base64");
  TRY(const EntryVerifier found, verifier_from_pem(as_chars(*pem)));
  return check_verifier(found, e);
}

Status check_sig_b64(const std::string& b64, const Bytes& want, bool double_encoded) {
  auto sig = base64_decode(b64);
  if (sig && double_encoded) sig = base64_decode(as_chars(*sig));
  if (!sig || *sig != want) return verify_error("the log entry records another signature");
  return ok_status();
}

Status check_payload_hash(const json& hash, const ExpectedEntry& e) {
  if (json_string_at(hash, {"algorithm"}) != "sha256" || !e.payload_sha256_hex ||
      json_string_at(hash, {"value"}) != *e.payload_sha256_hex) {
    return verify_error("the log entry records another payload");
  }
  return ok_status();
}

Status check_hashedrekord(const json& j, const ExpectedEntry& e) {
  if (json_string_at(j, {"spec", "data", "hash", "algorithm"}) != "sha256")
    return verify_error("the log entry hash is not sha256");
  if (!e.sha256_hex || json_string_at(j, {"spec", "data", "hash", "value"}) != *e.sha256_hex) {
    return verify_error("the log entry records another artifact digest");
  }
  TRY_STATUS(check_sig_b64(json_string_at(j, {"spec", "signature", "content"}), e.signature, false));
  return check_pem_verifier(json_string_at(j, {"spec", "signature", "publicKey", "content"}), e);
}

Status check_dsse(const json& j, const ExpectedEntry& e) {
  const json* sigs = json_at(j, {"spec", "signatures"});
  if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
    return verify_error("the dsse entry must hold one signature");
  TRY_STATUS(check_sig_b64(json_string_at((*sigs)[0], {"signature"}), e.signature, false));
  const json* hash = json_at(j, {"spec", "payloadHash"});
  TRY_STATUS(check_payload_hash(hash != nullptr ? *hash : json(), e));
  return check_pem_verifier(json_string_at((*sigs)[0], {"verifier"}), e);
}

Status check_intoto(const json& j, const ExpectedEntry& e) {
  const json* sigs = json_at(j, {"spec", "content", "envelope", "signatures"});
  if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
    return verify_error("the intoto entry must hold one signature");
  TRY_STATUS(check_sig_b64(json_string_at((*sigs)[0], {"sig"}), e.signature, true));
  const json* hash = json_at(j, {"spec", "content", "payloadHash"});
  TRY_STATUS(check_payload_hash(hash != nullptr ? *hash : json(), e));
  return check_pem_verifier(json_string_at((*sigs)[0], {"publicKey"}), e);
}

}  // namespace

bool is_rekor_v1_kind(std::string_view kind, std::string_view version) {
  return (kind == "hashedrekord" && version == "0.0.1") || (kind == "dsse" && version == "0.0.1") ||
         (kind == "intoto" && version == "0.0.2");
}

Status check_rekor_v1_body(const json& body, std::string_view kind, std::string_view version,
                           const ExpectedEntry& expected) {
  if (kind == "hashedrekord" && version == "0.0.1") return check_hashedrekord(body, expected);
  if (kind == "dsse" && version == "0.0.1") return check_dsse(body, expected);
  if (kind == "intoto" && version == "0.0.2") return check_intoto(body, expected);
  return verify_error("log entries of kind " + std::string(kind) + " " + std::string(version) +
                      " are not Rekor v1 entries");
}

}  // namespace chartprov::tlog
