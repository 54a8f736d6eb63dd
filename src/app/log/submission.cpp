#include "app/log/submission.hpp"

#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "app/log/entry_signature.hpp"
#include "envelope/prov/cleartext.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"

namespace chartprov::app::log {
namespace {

using nlohmann::json;

Error refused(const std::string& why) { return input_error("submission: " + why); }

// `where` (an object) has only members named in `allowed`.
Status only_members(const json& j, const std::string& where, std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : j.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || name == a;
    if (!known) return refused(where + " has an unknown member");
  }
  return ok_status();
}

Result<const json*> object_member(const json& j, const std::string& where, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_object()) return refused(where + "." + name + " is missing or not an object");
  return &*it;
}

Result<std::string> string_member(const json& j, const std::string& where, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return refused(where + "." + name + " is missing or not a string");
  return it->get<std::string>();
}

Result<Bytes> base64_member(const json& j, const std::string& where, const char* name) {
  TRY(const std::string text, string_member(j, where, name));
  auto bytes = base64_decode(text);
  if (!bytes) return refused(where + "." + name + " is not base64");
  return std::move(*bytes);
}

Result<Bytes> sha256_member(const json& j, const std::string& where, const char* name) {
  TRY(Bytes digest, base64_member(j, where, name));
  if (digest.size() != 32) return refused("the digest is not a SHA-256 (32 bytes)");
  return digest;
}

Status read_event(const json& root, const char* envelope, tlog::ChartEvent& event) {
  TRY(const json* c, object_member(root, "request", "chartprov"));
  TRY_STATUS(only_members(*c, "chartprov", {"chart", "version", "envelope"}));
  TRY(event.chart, string_member(*c, "chartprov", "chart"));
  TRY(event.version, string_member(*c, "chartprov", "version"));
  TRY(event.envelope, string_member(*c, "chartprov", "envelope"));
  if (event.envelope != envelope) {
    return refused(std::string("a ") + (std::string_view(envelope) == "prov"
                                            ? "helmprov entry is a prov"
                                            : "hashedrekord entry is a sigstore-bundle"));
  }
  return ok_status();
}

// The verifier's key or certificate, as raw bytes, and its keyDetails.
Status read_verifier(const json& verifier, tlog::ChartEntry& entry) {
  const std::string where = "hashedRekordRequestV002.signature.verifier";
  TRY_STATUS(only_members(verifier, where, {"publicKey", "x509Certificate", "keyDetails"}));
  TRY(entry.key_details, string_member(verifier, where, "keyDetails"));
  const bool has_key = verifier.contains("publicKey");
  if (has_key == verifier.contains("x509Certificate"))
    return refused("the verifier needs exactly one of publicKey and x509Certificate");
  const char* member = has_key ? "publicKey" : "x509Certificate";
  TRY(const json* holder, object_member(verifier, where, member));
  TRY_STATUS(only_members(*holder, where + "." + member, {"rawBytes"}));
  TRY(Bytes raw, base64_member(*holder, where + "." + member, "rawBytes"));
  (has_key ? entry.public_key : entry.certificate) = std::move(raw);
  return ok_status();
}

Result<tlog::ChartEntry> hashed_rekord(const json& root, const json& request) {
  const std::string where = "hashedRekordRequestV002";
  TRY_STATUS(only_members(request, where, {"digest", "signature"}));
  tlog::ChartEntry entry;
  entry.kind = tlog::EntryKind::hashedrekord;
  TRY_STATUS(read_event(root, "sigstore-bundle", entry.event));
  TRY(entry.digest, sha256_member(request, where, "digest"));
  TRY(const json* signature, object_member(request, where, "signature"));
  TRY_STATUS(only_members(*signature, where + ".signature", {"content", "verifier"}));
  TRY(entry.signature, base64_member(*signature, where + ".signature", "content"));
  if (entry.signature.empty()) return refused("the signature is empty");
  TRY(const json* verifier, object_member(*signature, where + ".signature", "verifier"));
  TRY_STATUS(read_verifier(*verifier, entry));
  if (auto st = check_entry_signature(entry, 0); !st) return refused(st.error().message);
  return entry;
}

Result<tlog::ChartEntry> helm_prov(const json& root, const json& request, std::int64_t now) {
  const std::string where = "helmProvRequestV001";
  TRY_STATUS(only_members(request, where, {"chartDigest", "provenance", "publicKey"}));
  tlog::ChartEntry entry;
  entry.kind = tlog::EntryKind::helm_prov;
  TRY_STATUS(read_event(root, "prov", entry.event));
  TRY(entry.digest, sha256_member(request, where, "chartDigest"));
  TRY(entry.provenance, base64_member(request, where, "provenance"));
  if (entry.provenance.size() > envelope::prov::kMaxProvFile) return refused("the provenance is larger than 1 MiB");
  TRY(entry.openpgp_key, base64_member(request, where, "publicKey"));
  if (auto st = check_entry_signature(entry, now); !st) return refused(st.error().message);
  return entry;
}

}  // namespace

Result<Bytes> dedupe_key(const tlog::ChartEntry& entry) {
  tlog::ChartEntry timeless = entry;
  timeless.event.time = 0;
  TRY(const std::string body, tlog::chart_entry_body(timeless));
  return crypto::sha256(as_bytes(body));
}

Result<Submission> parse_submission(std::string_view body, std::int64_t now) {
  if (body.size() > kMaxSubmission) return refused("larger than 64 KiB");
  const json root = parse_untrusted_json(body);
  if (root.is_discarded() || !root.is_object()) return refused("not a JSON object");
  TRY_STATUS(only_members(root, "request", {"hashedRekordRequestV002", "helmProvRequestV001", "chartprov"}));
  const bool rekord = root.contains("hashedRekordRequestV002");
  if (rekord == root.contains("helmProvRequestV001"))
    return refused("exactly one of hashedRekordRequestV002 and helmProvRequestV001");
  Submission s;
  if (rekord) {
    TRY(const json* request, object_member(root, "request", "hashedRekordRequestV002"));
    TRY(s.entry, hashed_rekord(root, *request));
  } else {
    TRY(const json* request, object_member(root, "request", "helmProvRequestV001"));
    TRY(s.entry, helm_prov(root, *request, now));
  }
  auto key = dedupe_key(s.entry);
  if (!key) return refused(key.error().message);
  s.dedupe = std::move(*key);
  // The entry must still fit once the log writes its time: measured with the widest time, so
  // that no entry passes here and then fails its whole batch inside the store's transaction.
  tlog::ChartEntry widest = s.entry;
  widest.event.time = std::numeric_limits<std::int64_t>::min();
  if (auto written = tlog::chart_entry_body(widest); !written) return refused(written.error().message);
  return s;
}

}  // namespace chartprov::app::log
