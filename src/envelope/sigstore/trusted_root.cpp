#include "envelope/sigstore/trusted_root.hpp"

#include <nlohmann/json.hpp>

#include "envelope/sigstore/proto_json.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/spki.hpp"
#include "util/byte_size.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::sigstore {
namespace {

using nlohmann::json;
using namespace protojson;

Result<ValidFor> parse_valid_for(const json* v) {
  ValidFor out;
  if (v == nullptr) return input_error("validFor is missing");
  TRY_STATUS(check_fields(*v, {"start", "end"}));
  TRY(const std::string start, string_field(*v, "start", true));
  TRY(out.start, parse_rfc3339(start));
  TRY(const std::string end, string_field(*v, "end", false));
  if (!end.empty()) {
    TRY(out.end, parse_rfc3339(end));
  }
  return out;
}

}  // namespace

const TransparencyLog* TrustedRoot::find_log(ByteView log_id) const {
  for (const auto& l : tlogs) {
    if (std::equal(l.log_id.begin(), l.log_id.end(), log_id.begin(), log_id.end())) return &l;
  }
  return nullptr;
}

Result<TrustedRoot> parse_trusted_root(std::string_view text) {
  if (text.size() > kMaxTrustedRoot) return input_error("trusted root larger than " + byte_size_text(kMaxTrustedRoot));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded() || !doc.is_object()) return input_error("trusted root is not a JSON object");
  TRY_STATUS(check_fields(doc, {"mediaType", "tlogs", "certificateAuthorities", "ctlogs", "timestampAuthorities"}));
  TRY(const std::string media_type, string_field(doc, "mediaType", true));
  if (media_type != "application/vnd.dev.sigstore.trustedroot+json;version=0.1" &&
      media_type != "application/vnd.dev.sigstore.trustedroot.v0.2+json") {
    return input_error("unsupported trusted root media type \"" + media_type + "\"");
  }
  TrustedRoot root;
  if (const json* tlogs = field(doc, "tlogs")) {
    if (!tlogs->is_array()) return input_error("tlogs must be a list");
    for (const auto& t : *tlogs) {
      TRY_STATUS(check_fields(t, {"baseUrl", "hashAlgorithm", "publicKey", "logId", "checkpointKeyId", "operator"}));
      TransparencyLog log;
      TRY(log.base_url, string_field(t, "baseUrl", false));
      const json* pk = field(t, "publicKey");
      if (pk == nullptr) return input_error("a tlog has no publicKey");
      TRY_STATUS(check_fields(*pk, {"rawBytes", "keyDetails", "validFor"}));
      TRY(log.spki, bytes_field(*pk, "rawBytes", true));
      auto key = crypto::parse_spki_der(log.spki);
      if (!key) return key.error().with_context("tlog " + log.base_url);
      log.key = std::move(*key);
      TRY(log.valid, parse_valid_for(field(*pk, "validFor")));
      const json* id = field(t, "logId");
      if (id == nullptr) return input_error("a tlog has no logId");
      TRY_STATUS(check_fields(*id, {"keyId"}));
      TRY(log.log_id, bytes_field(*id, "keyId", true));
      // Rekor v1 log ids are the SHA-256 of the key's SPKI; Rekor v2 (tile) logs differ: take the id as given.
      root.tlogs.push_back(std::move(log));
    }
  }
  if (const json* tsas = field(doc, "timestampAuthorities")) {
    if (!tsas->is_array()) return input_error("timestampAuthorities must be a list");
    for (const auto& t : *tsas) {
      TRY_STATUS(check_fields(t, {"subject", "uri", "certChain", "validFor", "operator"}));
      TimestampAuthority tsa;
      TRY(tsa.uri, string_field(t, "uri", false));
      const json* chain = field(t, "certChain");
      if (chain == nullptr) return input_error("a timestamp authority has no certChain");
      TRY_STATUS(check_fields(*chain, {"certificates"}));
      const json* certs = field(*chain, "certificates");
      if (certs == nullptr || !certs->is_array() || certs->empty()) return input_error("empty certChain");
      for (const auto& c : *certs) {
        TRY_STATUS(check_fields(c, {"rawBytes"}));
        TRY(Bytes der, bytes_field(c, "rawBytes", true));
        tsa.chain.push_back(std::move(der));
      }
      TRY(tsa.valid, parse_valid_for(field(t, "validFor")));
      root.timestamp_authorities.push_back(std::move(tsa));
    }
  }
  return root;
}

}  // namespace chartprov::sigstore
