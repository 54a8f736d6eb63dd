#include "tlog/chart_entry.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "tlog/chart_entry_scan.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

using nlohmann::json;

Error bad(const std::string& why) { return input_error("log entry: " + why); }

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Status check_event(const ChartEvent& e, EntryKind kind) {
  if (e.chart.empty() || e.chart.size() > kMaxChartName || !std::all_of(e.chart.begin(), e.chart.end(), name_char)) {
    return bad("a chart name is 1 to 253 of A-Z a-z 0-9 . _ -");
  }
  const bool printable = std::all_of(e.version.begin(), e.version.end(),
                                     [](char c) { return c > 0x20 && c < 0x7F && c != '"' && c != '\\'; });
  if (e.version.empty() || e.version.size() > kMaxChartVersion || !printable) {
    return bad("a chart version is 1 to 128 printable characters without spaces, quotes or backslashes");
  }
  const char* envelope = kind == EntryKind::hashedrekord ? "sigstore-bundle" : "prov";
  if (e.envelope != envelope) return bad(std::string("this entry's envelope is ") + envelope);
  return ok_status();
}

Status check_entry(const ChartEntry& entry) {
  TRY_STATUS(check_event(entry.event, entry.kind));
  if (entry.digest.size() != 32) return bad("a chart digest is 32 bytes of SHA-256");
  if (entry.kind == EntryKind::hashedrekord) {
    if (entry.signature.empty()) return bad("no signature");
    if (entry.public_key.empty() == entry.certificate.empty()) return bad("not exactly one of a key and a certificate");
    const bool enum_name = std::all_of(entry.key_details.begin(), entry.key_details.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (entry.key_details.empty() || !enum_name) return bad("keyDetails is not a PublicKeyDetails name");
  } else if (entry.provenance.empty() || entry.openpgp_key.empty()) {
    return bad("a provenance entry needs the .prov and the signer's key");
  }
  return ok_status();
}

json hash_output(ByteView digest) { return {{"algorithm", "SHA2_256"}, {"digest", base64_encode(digest)}}; }

json to_json(const ChartEntry& e) {
  json out;
  out["chartprov"] = {
      {"chart", e.event.chart}, {"envelope", e.event.envelope}, {"time", e.event.time}, {"version", e.event.version}};
  if (e.kind == EntryKind::hashedrekord) {
    json verifier = {{"keyDetails", e.key_details}};
    if (!e.public_key.empty()) {
      verifier["publicKey"] = {{"rawBytes", base64_encode(e.public_key)}};
    } else {
      verifier["x509Certificate"] = {{"rawBytes", base64_encode(e.certificate)}};
    }
    out["apiVersion"] = "0.0.2";
    out["kind"] = "hashedrekord";
    out["spec"] = {{"hashedRekordV002",
                    {{"data", hash_output(e.digest)},
                     {"signature", {{"content", base64_encode(e.signature)}, {"verifier", verifier}}}}}};
  } else {
    out["apiVersion"] = "0.0.1";
    out["kind"] = "helmprov";
    out["spec"] = {{"helmProvV001",
                    {{"chartDigest", hash_output(e.digest)},
                     {"provenance", base64_encode(e.provenance)},
                     {"publicKey", base64_encode(e.openpgp_key)}}}};
  }
  return out;
}

// The member `key` of object `o`, of the type `is` accepts.
Result<const json*> member(const json& o, const char* key, bool (json::*is)() const noexcept) {
  if (!o.is_object()) return bad(std::string("an object was expected around ") + key);
  const auto it = o.find(key);
  if (it == o.end() || !((*it).*is)()) return bad(std::string("missing or mistyped ") + key);
  return &*it;
}

Result<std::string> text(const json& o, const char* key) {
  TRY(const json* v, member(o, key, &json::is_string));
  return v->get<std::string>();
}

Result<Bytes> b64(const json& o, const char* key) {
  TRY(const std::string t, text(o, key));
  auto decoded = base64_decode(t);
  if (!decoded.ok()) return bad(std::string(key) + " is not base64");
  return std::move(*decoded);
}

Result<Bytes> sha256_of(const json& hash) {
  TRY(const std::string alg, text(hash, "algorithm"));
  if (alg != "SHA2_256") return bad("a digest algorithm other than SHA2_256");
  return b64(hash, "digest");
}

Result<ChartEvent> event_of(const json& doc) {
  TRY(const json* e, member(doc, "chartprov", &json::is_object));
  ChartEvent event;
  TRY(event.chart, text(*e, "chart"));
  TRY(event.version, text(*e, "version"));
  TRY(event.envelope, text(*e, "envelope"));
  TRY(const json* time, member(*e, "time", &json::is_number_integer));
  event.time = time->get<std::int64_t>();
  return event;
}

Result<ChartEntry> hashedrekord_of(const json& doc) {
  ChartEntry entry;
  TRY(const json* spec, member(doc, "spec", &json::is_object));
  TRY(const json* v2, member(*spec, "hashedRekordV002", &json::is_object));
  TRY(const json* data, member(*v2, "data", &json::is_object));
  TRY(entry.digest, sha256_of(*data));
  TRY(const json* sig, member(*v2, "signature", &json::is_object));
  TRY(entry.signature, b64(*sig, "content"));
  TRY(const json* verifier, member(*sig, "verifier", &json::is_object));
  TRY(entry.key_details, text(*verifier, "keyDetails"));
  if (verifier->contains("publicKey")) {
    TRY(const json* key, member(*verifier, "publicKey", &json::is_object));
    TRY(entry.public_key, b64(*key, "rawBytes"));
  } else {
    TRY(const json* cert, member(*verifier, "x509Certificate", &json::is_object));
    TRY(entry.certificate, b64(*cert, "rawBytes"));
  }
  return entry;
}

Result<ChartEntry> helm_prov_of(const json& doc) {
  ChartEntry entry;
  entry.kind = EntryKind::helm_prov;
  TRY(const json* spec, member(doc, "spec", &json::is_object));
  TRY(const json* v1, member(*spec, "helmProvV001", &json::is_object));
  TRY(const json* digest, member(*v1, "chartDigest", &json::is_object));
  TRY(entry.digest, sha256_of(*digest));
  TRY(entry.provenance, b64(*v1, "provenance"));
  TRY(entry.openpgp_key, b64(*v1, "publicKey"));
  return entry;
}

}  // namespace

Result<std::string> chart_entry_body(const ChartEntry& entry) {
  TRY_STATUS(check_entry(entry));
  std::string body = to_json(entry).dump();
  if (body.size() > kMaxChartEntry) return bad("over " + std::to_string(kMaxChartEntry) + " bytes");
  return body;
}

Result<ChartEntry> parse_chart_entry(ByteView leaf) {
  if (leaf.size() > kMaxChartEntry) return bad("over " + std::to_string(kMaxChartEntry) + " bytes");
  if (auto scanned = scan_chart_entry(leaf)) {
    if (check_entry(*scanned).ok()) return std::move(*scanned);
  }
  const json doc = parse_untrusted_json(leaf);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  TRY(const std::string kind, text(doc, "kind"));
  TRY(const std::string version, text(doc, "apiVersion"));
  Result<ChartEntry> entry = bad("an unknown kind " + kind + " " + version);
  if (kind == "hashedrekord" && version == "0.0.2") {
    entry = hashedrekord_of(doc);
  } else if (kind == "helmprov" && version == "0.0.1") {
    entry = helm_prov_of(doc);
  }
  if (!entry.ok()) return entry;
  TRY(entry->event, event_of(doc));
  TRY(const std::string canonical, chart_entry_body(*entry));
  if (as_bytes(canonical).size() != leaf.size() || !std::equal(leaf.begin(), leaf.end(), canonical.begin())) {
    return bad("not in canonical form");
  }
  return entry;
}

}  // namespace chartprov::tlog
