#include "envelope/sigstore/trusted_root.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "envelope/sigstore/log_key.hpp"
#include "envelope/sigstore/proto_json.hpp"
#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"
#include "util/rfc3339.hpp"
#include "util/url.hpp"

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
    if (*out.end < out.start) return input_error("validFor ends before it starts");
  }
  return out;
}

// The host of a baseUrl, which protobuf-specs allows without a scheme.
Result<std::string> origin_of(const std::string& base_url) {
  if (base_url.empty()) return std::string();
  std::string with_scheme;
  if (base_url.find("://") == std::string::npos) with_scheme = "https://";
  with_scheme += base_url;
  auto url = parse_http_url(with_scheme);
  if (!url) return input_error("baseUrl \"" + redact_url(base_url) + "\" is not an http(s) URL or a host");
  return std::move(url->host);
}

// "tlogs https://rekor.example" for messages: the list and the entry's URL when it has one.
std::string entry_name(const char* list, const json& entry, const char* url_field) {
  std::string out = list;
  const json* url = field(entry, url_field);
  if (url != nullptr && url->is_string()) {
    out += ' ';
    out += redact_url(url->get<std::string>());
  }
  return out;
}

Result<TransparencyLog> parse_log(const json& t) {
  TRY_STATUS(check_fields(t, {"baseUrl", "hashAlgorithm", "publicKey", "logId", "checkpointKeyId", "operator"}));
  TransparencyLog log;
  TRY(log.base_url, string_field(t, "baseUrl", false));
  TRY(log.origin, origin_of(log.base_url));
  TRY(const std::string hash, string_field(t, "hashAlgorithm", false));
  if (hash != "SHA2_256") return input_error("hashAlgorithm must be SHA2_256");
  const json* pk = field(t, "publicKey");
  if (pk == nullptr) return input_error("no publicKey");
  TRY_STATUS(check_fields(*pk, {"rawBytes", "keyDetails", "validFor"}));
  TRY(const Bytes raw, bytes_field(*pk, "rawBytes", true));
  TRY(log.key_details, string_field(*pk, "keyDetails", false));
  TRY(LogKey key, parse_log_key(log.key_details, raw));
  log.key = std::move(key.key);
  log.spki = std::move(key.spki);
  TRY(log.valid, parse_valid_for(field(*pk, "validFor")));
  const json* id = field(t, "logId");
  if (id == nullptr) return input_error("no logId");
  TRY_STATUS(check_fields(*id, {"keyId"}));
  // Rekor v1 and CT log ids are the SHA-256 of the key's SPKI; a Rekor v2 (tile) log's is its C2SP key id
  // (SHA-256(origin || 0x0A || 0x01 || Ed25519 key)): taken as given, as sigstore-go does.
  TRY(log.log_id, bytes_field(*id, "keyId", true));
  if (const json* cid = field(t, "checkpointKeyId")) {
    TRY_STATUS(check_fields(*cid, {"keyId"}));
    TRY(log.checkpoint_key_id, bytes_field(*cid, "keyId", true));
  }
  TRY_STATUS(string_field(t, "operator", false));  // read, not used
  return log;
}

Result<std::vector<TransparencyLog>> parse_logs(const json& doc, const char* name) {
  std::vector<TransparencyLog> out;
  const json* logs = field(doc, name);
  if (logs == nullptr) return out;
  if (!logs->is_array()) return input_error(std::string(name) + " must be a list");
  for (const auto& t : *logs) {
    auto log = parse_log(t);
    if (!log) return log.error().with_context(entry_name(name, t, "baseUrl"));
    out.push_back(std::move(*log));
  }
  return out;
}

Result<std::vector<Bytes>> parse_chain(const json* chain) {
  if (chain == nullptr) return input_error("no certChain");
  TRY_STATUS(check_fields(*chain, {"certificates"}));
  const json* certs = field(*chain, "certificates");
  if (certs == nullptr || !certs->is_array() || certs->empty()) return input_error("empty certChain");
  std::vector<Bytes> out;
  for (const auto& c : *certs) {
    TRY_STATUS(check_fields(c, {"rawBytes"}));
    TRY(Bytes der, bytes_field(c, "rawBytes", true));
    out.push_back(std::move(der));
  }
  return out;
}

// A certificate authority or a timestamp authority: the same message.
Result<CertificateAuthority> parse_authority(const json& t) {
  TRY_STATUS(check_fields(t, {"subject", "uri", "certChain", "validFor", "operator"}));
  CertificateAuthority ca;
  TRY(ca.uri, string_field(t, "uri", false));
  TRY(ca.chain, parse_chain(field(t, "certChain")));
  TRY(ca.valid, parse_valid_for(field(t, "validFor")));
  TRY_STATUS(string_field(t, "operator", false));  // read, not used
  return ca;
}

Result<std::vector<CertificateAuthority>> parse_authorities(const json& doc, const char* name) {
  std::vector<CertificateAuthority> out;
  const json* list = field(doc, name);
  if (list == nullptr) return out;
  if (!list->is_array()) return input_error(std::string(name) + " must be a list");
  for (const auto& t : *list) {
    auto ca = parse_authority(t);
    if (!ca) return ca.error().with_context(entry_name(name, t, "uri"));
    out.push_back(std::move(*ca));
  }
  return out;
}

const TransparencyLog* find_by_id(const std::vector<TransparencyLog>& logs, ByteView log_id) {
  for (const auto& l : logs) {
    if (std::equal(l.log_id.begin(), l.log_id.end(), log_id.begin(), log_id.end())) return &l;
  }
  return nullptr;
}

}  // namespace

const TransparencyLog* TrustedRoot::find_log(ByteView log_id) const { return find_by_id(tlogs, log_id); }

const TransparencyLog* TrustedRoot::find_ct_log(ByteView log_id) const { return find_by_id(ctlogs, log_id); }

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
  TRY(root.tlogs, parse_logs(doc, "tlogs"));
  TRY(root.ctlogs, parse_logs(doc, "ctlogs"));
  TRY(root.certificate_authorities, parse_authorities(doc, "certificateAuthorities"));
  TRY(auto tsas, parse_authorities(doc, "timestampAuthorities"));
  for (auto& t : tsas) root.timestamp_authorities.push_back({std::move(t.uri), std::move(t.chain), t.valid});
  return root;
}

Result<std::string> log_origin_of(const std::string& base_url) { return origin_of(base_url); }

}  // namespace chartprov::sigstore
