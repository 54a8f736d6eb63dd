#include "app/trust/trust_store.hpp"

#include <nlohmann/json.hpp>

#include "app/helpers/http_client.hpp"
#include "app/keys/key_record.hpp"
#include "app/trust/trust_state_file.hpp"
#include "envelope/cosign/key_file.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/cert.hpp"
#include "openpgp/key.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"
#include "util/url.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path root_file(const fs::path& dir) { return dir / "root.json"; }
fs::path staged_file(const fs::path& dir) { return dir / "staged.json"; }

Result<json> key_json(const crypto::PKey& key) {
  TRY(const std::string pem, crypto::public_key_pem(key));
  TRY(const std::string id, crypto::spki_key_id(key));
  TRY(const std::string alg, key_algorithm_name(key));
  return json{{"key_id", id}, {"algorithm", alg}, {"public_key", pem}};
}

// A public key file: PEM (cosign.pub) or an OpenPGP certificate (binary or armored).
struct LoadedPublicKey {
  crypto::PKey key;
  std::string openpgp_fingerprint;
  std::string openpgp_certificate;  // armored: the first transferable public key of the file
};
Result<LoadedPublicKey> load_any_public_key(const fs::path& path) {
  TRY(const Bytes data, read_file(path, crypto::kMaxKeyFileSize));
  const std::string_view text = as_chars(data);
  LoadedPublicKey out;
  if (text.find("-----BEGIN PUBLIC KEY-----") != std::string_view::npos) {
    TRY(out.key, crypto::parse_public_key_pem(text));
    return out;
  }
  Bytes binary = data;
  if (text.find("-----BEGIN PGP PUBLIC KEY BLOCK-----") != std::string_view::npos) {
    TRY(const auto dearmored, openpgp::dearmor(text));
    binary = dearmored.data;
  }
  TRY(const auto packets, openpgp::read_packets(binary));
  if (packets.empty() || packets[0].tag != 6)
    return input_error(path.string() + " is neither a PEM public key nor an OpenPGP certificate");
  // The first certificate of the file (a keyring may hold more).
  TRY(const openpgp::LeadingCertificate cert, openpgp::leading_certificate(packets));
  out.openpgp_fingerprint = hex_encode_upper(cert.primary.fingerprint);
  TRY(out.key, openpgp::to_openssl_public_key(cert.primary));
  out.openpgp_certificate = openpgp::armor(cert.bytes, "PUBLIC KEY BLOCK");
  return out;
}

Status write_document(const fs::path& path, const json& signed_part, const std::vector<trust::Signature>& sigs) {
  return atomic_write(path, trust::serialize_trust_root(signed_part.dump(), sigs), 0644);
}

// The staged "signed" part (the next version), created from root.json when absent.
Result<json> staged_signed(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(staged_file(dir), ec)) {
    TRY(const std::string text, read_text_file(staged_file(dir), trust::kMaxTrustRoot));
    TRY(const auto doc, trust::parse_trust_root(text));
    return json::parse(doc.root.canonical_signed, nullptr, false);
  }
  TRY(const std::string text, read_text_file(root_file(dir), trust::kMaxTrustRoot));
  TRY(const auto doc, trust::parse_trust_root(text));
  json s = json::parse(doc.root.canonical_signed, nullptr, false);
  s["version"] = doc.root.version + 1;
  return s;
}

Status save_staged(const fs::path& dir, const json& s) {
  // Check it still parses as a trust root before anyone signs it.
  TRY_STATUS(trust::parse_trust_root(trust::serialize_trust_root(s.dump(), {})));
  return write_document(staged_file(dir), s, {});  // an edit invalidates any signature
}

}  // namespace

Result<trust::TrustRoot> trust_init(const TrustInitRequest& req) {
  if (req.root_keys.empty()) return usage_error("give at least one --root-key");
  const std::int64_t now = now_or(req.now);
  std::error_code ec;
  if (fs::exists(root_file(req.dir), ec))
    return input_error(root_file(req.dir).string() + " exists; a trust directory is made once");
  fs::create_directories(req.dir, ec);
  if (ec) return input_error("cannot create " + req.dir.string());
  json roots = json::array();
  for (const auto* k : req.root_keys) {
    TRY(json entry, key_json(k->signer->public_key()));
    roots.push_back(std::move(entry));
  }
  const unsigned threshold = req.threshold == 0 ? static_cast<unsigned>(req.root_keys.size()) : req.threshold;
  const json s = {
      {"_type", "chartprov-trust-root"}, {"version", 1},       {"expires", format_rfc3339(now + req.expires_after)},
      {"root_threshold", threshold},     {"root_keys", roots}, {"signing_keys", json::array()}};
  std::vector<trust::Signature> sigs;
  for (const auto* k : req.root_keys) {
    TRY(trust::Signature sig, trust::sign_trust_root(s.dump(), *k->signer));
    sigs.push_back(std::move(sig));
  }
  const std::string doc = trust::serialize_trust_root(s.dump(), sigs);
  TRY(trust::TrustRoot accepted, trust::accept_initial(doc, now));
  TRY_STATUS(atomic_write(root_file(req.dir), doc, 0644));
  TRY_STATUS(pin_trust_root(req.dir, accepted, PinMode::replace));
  return accepted;
}

Result<trust::TrustRoot> load_trust_dir(const fs::path& dir, std::int64_t now) {
  TRY(const std::string text, read_text_file(root_file(dir), trust::kMaxTrustRoot));
  auto r = trust::accept_initial(text, now_or(now));
  if (!r) return r.error().with_context(root_file(dir).string());
  TRY_STATUS(check_pinned_root(dir, *r));
  return r;
}

Result<trust::TrustRoot> trust_pin(const fs::path& dir, const std::string& digest, std::int64_t now) {
  TRY(const std::string text, read_text_file(root_file(dir), trust::kMaxTrustRoot));
  auto r = trust::accept_initial(text, now_or(now));
  if (!r) return r.error().with_context(root_file(dir).string());
  if (!digest.empty() && digest != trust::root_digest(*r)) {
    return input_error(root_file(dir).string() + " is " + trust::root_digest(*r) + ", not the " + digest +
                       " given to --digest: not pinned");
  }
  TRY_STATUS(pin_trust_root(dir, *r, PinMode::follow));
  return r;
}

Status stage_add_key(const fs::path& dir, const NewSigningKey& key) {
  TRY(json s, staged_signed(dir));
  TRY(const LoadedPublicKey loaded, load_any_public_key(key.public_key));
  TRY(json entry, key_json(loaded.key));
  for (const auto& k : s["signing_keys"]) {
    if (k["key_id"] == entry["key_id"])
      return input_error("key " + entry["key_id"].get<std::string>() + " is already listed");
  }
  if (key.charts.empty()) return usage_error("say which charts the key may sign (--charts GLOB, '*' for all)");
  entry["owner"] = key.owner;
  entry["allowed_charts"] = key.charts;
  entry["allowed_environments"] = key.environments.empty() ? std::vector<std::string>{"*"} : key.environments;
  // Not the time of adding: charts the key signed before it was listed are its charts too.
  if (key.not_before) entry["not_before"] = format_rfc3339(*key.not_before);
  if (key.not_after) entry["not_after"] = format_rfc3339(*key.not_after);
  if (!loaded.openpgp_fingerprint.empty()) entry["openpgp_fingerprint"] = loaded.openpgp_fingerprint;
  if (!loaded.openpgp_certificate.empty()) entry["openpgp_certificate"] = loaded.openpgp_certificate;
  entry["status"] = "active";
  s["signing_keys"].push_back(entry);
  return save_staged(dir, s);
}

Status stage_revoke_key(const fs::path& dir, const std::string& key_id, std::int64_t at) {
  TRY(json s, staged_signed(dir));
  for (auto& k : s["signing_keys"]) {
    if (k["key_id"] != key_id) continue;
    k["status"] = "revoked";
    k["revoked_at"] = format_rfc3339(at);
    return save_staged(dir, s);
  }
  return input_error("no signing key " + key_id + " in the trust root");
}

namespace {

using Claims = std::vector<std::pair<std::string, std::string>>;

// {"NAME": VALUE, ...}; a name given twice is refused (a JSON object holds it once).
Result<json> claims_json(const Claims& claims) {
  json out = json::object();
  for (const auto& [name, value] : claims) {
    if (out.contains(name)) return usage_error("claim " + name + " is given twice");
    out[name] = value;
  }
  return out;
}

// The fields that say who the signer is, as the trust root writes them.
Result<json> requirement_json(const std::string& subject, bool subject_regexp, const std::string& issuer,
                              bool issuer_regexp, const Claims& claims, const Claims& claims_regexp) {
  json out = json::object();
  if (!subject.empty()) out[subject_regexp ? "identity_regexp" : "identity"] = subject;
  if (!issuer.empty()) out[issuer_regexp ? "issuer_regexp" : "issuer"] = issuer;
  if (!claims.empty()) {
    TRY(out["claims"], claims_json(claims));
  }
  if (!claims_regexp.empty()) {
    TRY(out["claims_regexp"], claims_json(claims_regexp));
  }
  return out;
}

// Whether `entry` has every field of `wanted`, with its value.
bool has_fields(const json& entry, const json& wanted) {
  for (const auto& [name, value] : wanted.items()) {
    if (!entry.contains(name) || entry[name] != value) return false;
  }
  return true;
}

// Whether `entry` names the same signer as `requirement` (no more fields, no fewer).
bool same_signer(const json& entry, const json& requirement) {
  for (const char* f : {"identity", "identity_regexp", "issuer", "issuer_regexp", "claims", "claims_regexp"}) {
    if (entry.contains(f) != requirement.contains(f)) return false;
  }
  return has_fields(entry, requirement);
}

}  // namespace

Status stage_add_identity(const fs::path& dir, const NewSigningIdentity& id) {
  if (id.owner.empty()) return usage_error("say who the signer is (--owner)");
  if (id.subject.empty()) return usage_error("give the certificate's identity (--identity or --identity-regexp)");
  if (id.issuer.empty()) return usage_error("give its OIDC issuer (--issuer or --issuer-regexp)");
  if (id.charts.empty()) return usage_error("say which charts the identity may sign (--charts GLOB, '*' for all)");
  TRY(json s, staged_signed(dir));
  TRY(json entry,
      requirement_json(id.subject, id.subject_regexp, id.issuer, id.issuer_regexp, id.claims, id.claims_regexp));
  for (const auto& listed : s["signing_identities"]) {
    if (same_signer(listed, entry))
      return input_error("this identity is already listed (owner " + listed.value("owner", std::string()) + ")");
  }
  entry["owner"] = id.owner;
  entry["allowed_charts"] = id.charts;
  entry["allowed_environments"] = id.environments.empty() ? std::vector<std::string>{"*"} : id.environments;
  if (id.not_before) entry["not_before"] = format_rfc3339(*id.not_before);
  if (id.not_after) entry["not_after"] = format_rfc3339(*id.not_after);
  entry["status"] = "active";
  s["signing_identities"].push_back(entry);
  return save_staged(dir, s);
}

Status stage_revoke_identity(const fs::path& dir, const IdentitySelector& sel, std::int64_t at) {
  if (sel.owner.empty() || sel.subject.empty())
    return usage_error("name the identity by its owner and identity (--owner, --identity or --identity-regexp)");
  TRY(json s, staged_signed(dir));
  TRY(json wanted,
      requirement_json(sel.subject, sel.subject_regexp, sel.issuer, sel.issuer_regexp, sel.claims, sel.claims_regexp));
  wanted["owner"] = sel.owner;
  json* found = nullptr;
  std::size_t n = 0;
  for (auto& listed : s["signing_identities"]) {
    if (!has_fields(listed, wanted)) continue;
    found = &listed;
    ++n;
  }
  if (n == 0) return input_error("no signing identity of " + sel.owner + " with that identity in the trust root");
  if (n > 1) {
    return input_error(std::to_string(n) + " signing identities of " + sel.owner +
                       " match; name one with --issuer/--issuer-regexp and --claim/--claim-regexp");
  }
  (*found)["status"] = "revoked";
  (*found)["revoked_at"] = format_rfc3339(at);
  return save_staged(dir, s);
}

Status stage_sigstore_root(const fs::path& dir, const fs::path& trusted_root_json) {
  TRY(json s, staged_signed(dir));
  TRY(const std::string text, read_text_file(trusted_root_json, sigstore::kMaxTrustedRoot));
  if (auto parsed = sigstore::parse_trusted_root(text); !parsed)
    return parsed.error().with_context(trusted_root_json.string());
  s["sigstore_trusted_root"] = parse_untrusted_json(text);  // parsed above: not discarded
  return save_staged(dir, s);
}

Status stage_clear_sigstore_root(const fs::path& dir) {
  TRY(json s, staged_signed(dir));
  if (s.erase("sigstore_trusted_root") == 0)
    return input_error("the staged trust root carries no Sigstore trusted root");
  return save_staged(dir, s);
}

Status stage_rotate_root(const fs::path& dir, const std::vector<fs::path>& root_public_keys, unsigned threshold) {
  if (root_public_keys.empty()) return usage_error("give the new root keys");
  TRY(json s, staged_signed(dir));
  json roots = json::array();
  for (const auto& p : root_public_keys) {
    TRY(const LoadedPublicKey loaded, load_any_public_key(p));
    TRY(json entry, key_json(loaded.key));
    roots.push_back(std::move(entry));
  }
  s["root_keys"] = roots;
  s["root_threshold"] = threshold == 0 ? root_public_keys.size() : threshold;
  return save_staged(dir, s);
}

Status stage_expires(const fs::path& dir, std::int64_t expires) {
  TRY(json s, staged_signed(dir));
  s["expires"] = format_rfc3339(expires);
  return save_staged(dir, s);
}

Result<unsigned> sign_staged(const fs::path& dir, const OpenedSigner& root_key) {
  TRY(const std::string text, read_text_file(staged_file(dir), trust::kMaxTrustRoot));
  TRY(trust::SignedTrustRoot doc, trust::parse_trust_root(text));
  TRY(trust::Signature sig, trust::sign_trust_root(doc.root.canonical_signed, *root_key.signer));
  for (const auto& s : doc.signatures) {
    if (s.key_id == sig.key_id) return input_error("key " + sig.key_id.substr(0, 16) + " has already signed");
  }
  doc.signatures.push_back(std::move(sig));
  TRY_STATUS(
      atomic_write(staged_file(dir), trust::serialize_trust_root(doc.root.canonical_signed, doc.signatures), 0644));
  return static_cast<unsigned>(doc.signatures.size());
}

namespace {

Result<trust::TrustRoot> accept_document(const fs::path& dir, const std::string& text, std::int64_t now) {
  TRY(const trust::TrustRoot current, load_trust_dir(dir, now));
  TRY(trust::TrustRoot next, trust::accept_update(current, text, now_or(now)));
  TRY_STATUS(atomic_write(root_file(dir), text, 0644));
  TRY_STATUS(pin_trust_root(dir, next, PinMode::follow));
  std::error_code ec;
  if (fs::exists(staged_file(dir), ec)) {
    auto staged = read_text_file(staged_file(dir), trust::kMaxTrustRoot);
    if (staged && *staged == text) fs::remove(staged_file(dir), ec);
  }
  return next;
}

bool is_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

// The document behind a URL, bounded while it downloads.
Result<std::string> download_document(const std::string& url) {
  TRY(const HttpUrl parsed, parse_http_url(url));
  const bool https = parsed.scheme == "https";
  if (!https && !is_loopback_host(parsed.host)) {
    return usage_error(redact_url(url) + ": plain http:// only to 127.0.0.1 or localhost; use https://");
  }
  HttpGet get;
  get.url = url;
  get.max = trust::kMaxTrustRoot;
  get.https_only = https;  // a redirect may not downgrade to http
  get.follow_redirects = https;
  TRY(const HttpAnswer answer, http_get(get));
  if (!answer.error.empty()) return input_error(answer.error);
  if (answer.status != 200) return input_error(redact_url(url) + ": HTTP " + std::to_string(answer.status));
  return answer.body;
}

}  // namespace

Result<trust::TrustRoot> trust_update(const fs::path& dir, const fs::path& document, std::int64_t now) {
  TRY(const std::string text, read_text_file(document, trust::kMaxTrustRoot));
  return accept_document(dir, text, now);
}

Result<trust::TrustRoot> trust_update_from(const fs::path& dir, const std::string& file_or_url, std::int64_t now) {
  if (!is_url(file_or_url)) return trust_update(dir, file_or_url, now);
  TRY(const std::string text, download_document(file_or_url));
  return accept_document(dir, text, now);
}

Result<std::size_t> export_trust_keyring(const fs::path& dir, const fs::path& output, const std::string& environment,
                                         bool force, std::int64_t now) {
  TRY(const trust::TrustRoot root, load_trust_dir(dir, now));
  const std::int64_t t = now_or(now);
  Bytes ring;
  std::size_t n = 0;
  for (const auto& k : root.signing_keys) {
    if (k.openpgp_certificate.empty() || k.revoked || (k.not_after && *k.not_after < t)) continue;
    if (!environment.empty() && !k.counts_for(environment)) continue;
    TRY(const auto armored, openpgp::dearmor(k.openpgp_certificate));
    ring.insert(ring.end(), armored.data.begin(), armored.data.end());
    ++n;
  }
  if (n == 0)
    return input_error("the trust root lists no active OpenPGP certificate" +
                       (environment.empty() ? std::string() : " for " + environment));
  if (!force) TRY_STATUS(refuse_to_overwrite({output}));
  TRY_STATUS(atomic_write(output, ring, 0644));
  return n;
}

}  // namespace chartprov::app
