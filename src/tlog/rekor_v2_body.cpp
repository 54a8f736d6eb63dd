#include "tlog/rekor_v2_body.hpp"

#include <string>

#include "tlog/entry_verifier.hpp"
#include "tlog/json_path.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

using nlohmann::json;

// protojson bytes as rekor-tiles writes them: standard base64, padded.
std::optional<Bytes> bytes_at(const json& j, std::initializer_list<const char*> path) {
  auto b = base64_decode(json_string_at(j, path));
  if (!b || b->empty()) return std::nullopt;
  return std::move(*b);
}

// A Signature message: {content, verifier {x509Certificate | publicKey, keyDetails}}.
Status check_signature(const json& sig, const ExpectedEntry& e) {
  const auto content = bytes_at(sig, {"content"});
  if (!content || *content != e.signature) return verify_error("the log entry records another signature");
  const json* verifier = json_at(sig, {"verifier"});
  if (verifier == nullptr) return verify_error("the log entry names no public key or certificate");
  const json* cert = json_at(*verifier, {"x509Certificate"});
  const json* key = json_at(*verifier, {"publicKey"});
  if ((cert == nullptr) == (key == nullptr)) return verify_error("the log entry names no public key or certificate");
  EntryVerifier found;
  found.kind = cert != nullptr ? EntryVerifier::Kind::kCertificate : EntryVerifier::Kind::kPublicKey;
  auto der = bytes_at(cert != nullptr ? *cert : *key, {"rawBytes"});
  if (!der) return verify_error("the log entry names no public key or certificate");
  found.der = std::move(*der);
  if (e.key_details && json_string_at(*verifier, {"keyDetails"}) != *e.key_details)
    return verify_error("the log entry names another key algorithm");
  return check_verifier(found, e);
}

// chartprov's member (chart_entry.hpp): which chart the signature is for.
Status check_chart(const json& j, const ExpectedEntry& e) {
  const json* member = json_at(j, {"chartprov"});
  if (member == nullptr || !e.chart) return ok_status();
  const json* name = json_at(*member, {"chart"});
  const json* version = json_at(*member, {"version"});
  if (name == nullptr || !name->is_string() || version == nullptr || !version->is_string()) {
    return verify_error("the log entry's chartprov member names no chart and version");
  }
  if (name->get<std::string>() != e.chart->name || version->get<std::string>() != e.chart->version) {
    return verify_error("the log entry is for chart " + name->get<std::string>() + " " + version->get<std::string>() +
                        ", not " + e.chart->name + " " + e.chart->version);
  }
  return ok_status();
}

Status check_hashedrekord(const json& j, const ExpectedEntry& e) {
  const json* spec = json_at(j, {"spec", "hashedRekordV002"});
  if (spec == nullptr || !spec->is_object()) return verify_error("the log entry has no hashedRekordV002 spec");
  const auto digest = bytes_at(*spec, {"data", "digest"});
  if (!e.signed_digest || json_string_at(*spec, {"data", "algorithm"}) != e.signed_digest->algorithm || !digest ||
      *digest != e.signed_digest->digest) {
    return verify_error("the log entry records another digest");
  }
  const json* sig = json_at(*spec, {"signature"});
  TRY_STATUS(check_signature(sig != nullptr ? *sig : json(), e));
  return check_chart(j, e);
}

Status check_dsse(const json& j, const ExpectedEntry& e) {
  const json* spec = json_at(j, {"spec", "dsseV002"});
  if (spec == nullptr || !spec->is_object()) return verify_error("the log entry has no dsseV002 spec");
  const auto hash = bytes_at(*spec, {"payloadHash", "digest"});
  if (json_string_at(*spec, {"payloadHash", "algorithm"}) != "SHA2_256" || !hash || !e.payload_sha256_hex ||
      hex_encode(*hash) != *e.payload_sha256_hex) {
    return verify_error("the log entry records another payload");
  }
  const json* sigs = json_at(*spec, {"signatures"});
  if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
    return verify_error("the dsse entry must hold one signature");
  return check_signature((*sigs)[0], e);
}

}  // namespace

bool is_rekor_v2_kind(std::string_view kind, std::string_view version) {
  return version == "0.0.2" && (kind == "hashedrekord" || kind == "dsse");
}

Status check_rekor_v2_body(const json& body, std::string_view kind, std::string_view version,
                           const ExpectedEntry& expected) {
  if (kind == "hashedrekord" && version == "0.0.2") return check_hashedrekord(body, expected);
  if (kind == "dsse" && version == "0.0.2") return check_dsse(body, expected);
  return verify_error("log entries of kind " + std::string(kind) + " " + std::string(version) +
                      " are not Rekor v2 entries");
}

}  // namespace chartprov::tlog
