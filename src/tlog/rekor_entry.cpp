#include "tlog/rekor_entry.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "tlog/json_path.hpp"
#include "tlog/rekor_v1_body.hpp"
#include "tlog/rekor_v2_body.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {

using nlohmann::json;

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
  if (json_string_at(j, {"kind"}) != kind || json_string_at(j, {"apiVersion"}) != version) {
    return verify_error("the log entry body's kind/version differ from the bundle's");
  }
  if (is_rekor_v1_kind(kind, version)) return check_rekor_v1_body(j, kind, version, e);
  if (is_rekor_v2_kind(kind, version)) return check_rekor_v2_body(j, kind, version, e);
  return verify_error("log entries of kind " + std::string(kind) + " " + std::string(version) + " are not supported");
}

}  // namespace chartprov::tlog
