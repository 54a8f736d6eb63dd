#include "envelope/sigstore/trusted_root_writer.hpp"

#include <nlohmann/json.hpp>

#include "util/encoding.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::sigstore {
namespace {

using nlohmann::ordered_json;

ordered_json valid_for(const ValidFor& valid) {
  ordered_json out = {{"start", format_rfc3339(valid.start)}};
  if (valid.end) out["end"] = format_rfc3339(*valid.end);
  return out;
}

// CertificateAuthority and TimestampAuthority share one message shape.
ordered_json authority(const std::string& uri, const std::vector<Bytes>& chain, const ValidFor& valid) {
  ordered_json certificates = ordered_json::array();
  for (const Bytes& der : chain) certificates.push_back({{"rawBytes", base64_encode(der)}});
  ordered_json out = ordered_json::object();
  if (!uri.empty()) out["uri"] = uri;
  out["certChain"] = {{"certificates", std::move(certificates)}};
  out["validFor"] = valid_for(valid);
  return out;
}

}  // namespace

std::string write_trusted_root(const std::vector<CertificateAuthority>& certificate_authorities,
                               const std::vector<TimestampAuthority>& timestamp_authorities) {
  return write_trusted_root({}, certificate_authorities, timestamp_authorities);
}

std::string write_trusted_root(const std::vector<WrittenLog>& tlogs,
                               const std::vector<CertificateAuthority>& certificate_authorities,
                               const std::vector<TimestampAuthority>& timestamp_authorities) {
  ordered_json doc;
  doc["mediaType"] = std::string(kTrustedRootMediaType01);
  if (!tlogs.empty()) {
    ordered_json& logs = doc["tlogs"] = ordered_json::array();
    for (const auto& log : tlogs) {
      ordered_json public_key = {
          {"rawBytes", base64_encode(log.spki)}, {"keyDetails", log.key_details}, {"validFor", valid_for(log.valid)}};
      logs.push_back({{"baseUrl", log.base_url},
                      {"hashAlgorithm", "SHA2_256"},
                      {"publicKey", std::move(public_key)},
                      {"logId", {{"keyId", base64_encode(log.log_id)}}}});
    }
  }
  if (!certificate_authorities.empty()) {
    ordered_json& cas = doc["certificateAuthorities"] = ordered_json::array();
    for (const auto& ca : certificate_authorities) cas.push_back(authority(ca.uri, ca.chain, ca.valid));
  }
  if (!timestamp_authorities.empty()) {
    ordered_json& tsas = doc["timestampAuthorities"] = ordered_json::array();
    for (const auto& tsa : timestamp_authorities) tsas.push_back(authority(tsa.uri, tsa.chain, tsa.valid));
  }
  return doc.dump(2) + "\n";
}

}  // namespace chartprov::sigstore
