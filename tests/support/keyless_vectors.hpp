#pragma once
// The certificates of the keyless Sigstore vectors (tests/data/sigstore-keyless):
// a bundle's leaf (verificationMaterial.certificate, or the first of
// x509CertificateChain) and a trusted root's CA chains and CT logs, read
// straight from the JSON files so that the certificate code is tested apart
// from the bundle and trusted-root parsers.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/keyless_cases.hpp"  // KeylessCase, keyless_cases()
#include "support/test_support.hpp"
#include "util/bytes.hpp"
#include "util/encoding.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::test {

// The document, or a discarded value for the vector that is not JSON (bundle-malformed-json_fail).
inline nlohmann::json keyless_json(const std::string& relative) {
  return nlohmann::json::parse(read_text(data("sigstore-keyless/" + relative)), nullptr, false);
}

inline Bytes keyless_base64(const nlohmann::json& text) {
  auto bytes = base64_decode(text.get<std::string>());
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : Bytes{};
}

// The DER certificates a bundle carries, leaf first (none when it is not JSON).
inline std::vector<Bytes> bundle_certificates(const std::string& bundle) {
  const nlohmann::json doc = keyless_json(bundle);
  std::vector<Bytes> out;
  if (doc.is_discarded()) return out;
  const nlohmann::json& material = doc["verificationMaterial"];
  if (material.contains("certificate")) out.push_back(keyless_base64(material["certificate"]["rawBytes"]));
  if (material.contains("x509CertificateChain")) {
    for (const auto& c : material["x509CertificateChain"]["certificates"]) out.push_back(keyless_base64(c["rawBytes"]));
  }
  return out;
}

inline Bytes bundle_leaf(const std::string& bundle) {
  auto certs = bundle_certificates(bundle);
  EXPECT_FALSE(certs.empty()) << bundle;
  return certs.empty() ? Bytes{} : certs.front();
}

// Each certificate authority's certChain (intermediates first, root last), in file order.
inline std::vector<std::vector<Bytes>> root_ca_chains(const std::string& trusted_root) {
  const nlohmann::json root = keyless_json(trusted_root);
  std::vector<std::vector<Bytes>> out;
  for (const auto& ca : root["certificateAuthorities"]) {
    std::vector<Bytes> chain;
    for (const auto& c : ca["certChain"]["certificates"]) chain.push_back(keyless_base64(c["rawBytes"]));
    out.push_back(std::move(chain));
  }
  return out;
}

// Each timestamp authority's certChain (its signing certificate first, root last).
inline std::vector<std::vector<Bytes>> root_tsa_chains(const std::string& trusted_root) {
  const nlohmann::json root = keyless_json(trusted_root);
  std::vector<std::vector<Bytes>> out;
  for (const auto& tsa : root["timestampAuthorities"]) {
    std::vector<Bytes> chain;
    for (const auto& c : tsa["certChain"]["certificates"]) chain.push_back(keyless_base64(c["rawBytes"]));
    out.push_back(std::move(chain));
  }
  return out;
}

// A CT log of a trusted root, as the file says it.
struct CtLogJson {
  std::string key_details;  // "PKIX_ECDSA_P256_SHA_256", "PKCS1_RSA_PKCS1V5", ...
  Bytes key;                // publicKey.rawBytes
  Bytes log_id;             // logId.keyId
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
};

inline std::vector<CtLogJson> root_ctlogs(const std::string& trusted_root) {
  const nlohmann::json root = keyless_json(trusted_root);
  std::vector<CtLogJson> out;
  for (const auto& log : root["ctlogs"]) {
    CtLogJson c;
    c.key_details = log["publicKey"]["keyDetails"].get<std::string>();
    c.key = keyless_base64(log["publicKey"]["rawBytes"]);
    c.log_id = keyless_base64(log["logId"]["keyId"]);
    const auto& valid = log["publicKey"]["validFor"];
    c.start = parse_rfc3339(valid["start"].get<std::string>()).value();
    if (valid.contains("end") && !valid["end"].is_null())
      c.end = parse_rfc3339(valid["end"].get<std::string>()).value();
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace chartprov::test
