#include "app/log/entry_judgement.hpp"

#include <algorithm>
#include <optional>

#include "envelope/sigstore/certificate_identity.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "openpgp/key.hpp"
#include "openpgp/packet.hpp"
#include "util/encoding.hpp"
#include "util/glob.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app::log {
namespace {

constexpr std::size_t kMaxCachedKeys = 4096;

std::string chart_text(const tlog::ChartEntry& e) { return "chart \"" + e.event.chart + "\" " + e.event.version; }

bool any_glob(const std::vector<std::string>& globs, const std::string& name) {
  for (const auto& g : globs) {
    if (glob_match(g, name)) return true;
  }
  return false;
}

// The finding for a listed signer (a key or an identity: the same fields),
// by the log's time `at`; `kinds` are its three findings (revoked, charts, window).
template <typename Listed>
EntryVerdict scope(const Listed& s, const tlog::ChartEntry& e, std::string signer, const EntryFinding (&kinds)[3]) {
  EntryVerdict v;
  v.signer = std::move(signer);
  const std::int64_t at = e.event.time;
  const std::string who = v.signer + " (" + s.owner + ")";
  const std::string when = " at " + format_rfc3339(at);
  if (s.revoked && s.revoked_at && *s.revoked_at <= at) {
    v.finding = kinds[0];
    v.reason = who + " signed " + chart_text(e) + when + ", after its revocation at " + format_rfc3339(*s.revoked_at);
  } else if (!any_glob(s.allowed_charts, e.event.chart)) {
    v.finding = kinds[1];
    v.reason = who + " signed " + chart_text(e) + ", a chart outside its allowed charts";
  } else if (at < s.not_before) {
    v.finding = kinds[2];
    v.reason = who + " signed " + chart_text(e) + when + ", before its not_before " + format_rfc3339(s.not_before);
  } else if (s.not_after && at > *s.not_after) {
    v.finding = kinds[2];
    v.reason = who + " signed " + chart_text(e) + when + ", after its not_after " + format_rfc3339(*s.not_after);
  }
  return v;
}

constexpr EntryFinding kKeyFindings[3] = {EntryFinding::key_revoked, EntryFinding::key_outside_charts,
                                          EntryFinding::key_outside_window};
constexpr EntryFinding kIdentityFindings[3] = {EntryFinding::identity_revoked, EntryFinding::identity_outside_charts,
                                               EntryFinding::identity_outside_window};

EntryVerdict unreadable(std::string signer, const std::string& why) {
  EntryVerdict v;
  v.finding = EntryFinding::unreadable_signer;
  v.signer = std::move(signer);
  v.reason = why;
  return v;
}

}  // namespace

const char* finding_code(EntryFinding finding) {
  switch (finding) {
    case EntryFinding::allowed:
    case EntryFinding::unwatched: return "";
    case EntryFinding::unlisted_signer: return "log_unlisted_signer";
    case EntryFinding::key_outside_charts: return "log_key_outside_charts";
    case EntryFinding::key_outside_window: return "log_key_outside_window";
    case EntryFinding::key_revoked: return "log_key_revoked";
    case EntryFinding::identity_outside_charts: return "log_identity_outside_charts";
    case EntryFinding::identity_outside_window: return "log_identity_outside_window";
    case EntryFinding::identity_revoked: return "log_identity_revoked";
    case EntryFinding::unreadable_signer: return "log_unreadable_signer";
  }
  return "";
}

EntryJudge::EntryJudge(const trust::TrustRoot& root, std::vector<std::string> watch) : root_(root) {
  for (const auto& k : root.signing_keys) {
    watch_.insert(watch_.end(), k.allowed_charts.begin(), k.allowed_charts.end());
    if (!k.openpgp_fingerprint.empty()) by_fingerprint_.emplace(k.openpgp_fingerprint, &k);
  }
  for (const auto& i : root.signing_identities) {
    watch_.insert(watch_.end(), i.allowed_charts.begin(), i.allowed_charts.end());
  }
  watch_.insert(watch_.end(), watch.begin(), watch.end());
  std::sort(watch_.begin(), watch_.end());
  watch_.erase(std::unique(watch_.begin(), watch_.end()), watch_.end());
}

bool EntryJudge::watched(const std::string& chart) const { return any_glob(watch_, chart); }

EntryVerdict EntryJudge::unlisted(const tlog::ChartEntry& e, std::string signer) const {
  EntryVerdict v;
  v.signer = std::move(signer);
  if (!watched(e.event.chart)) {
    v.finding = EntryFinding::unwatched;
    return v;
  }
  v.finding = EntryFinding::unlisted_signer;
  v.reason = v.signer + ", which the trust root does not list, signed " + chart_text(e) + " (a watched chart)";
  return v;
}

EntryVerdict EntryJudge::judge(const tlog::ChartEntry& entry) {
  if (entry.kind == tlog::EntryKind::helm_prov) return judge_openpgp(entry);
  if (!entry.certificate.empty()) return judge_certificate(entry);
  return judge_key(entry);
}

EntryVerdict EntryJudge::judge_key(const tlog::ChartEntry& e) {
  const std::string spki(e.public_key.begin(), e.public_key.end());
  auto cached = key_ids_.find(spki);
  if (cached == key_ids_.end()) {
    if (key_ids_.size() >= kMaxCachedKeys) key_ids_.clear();
    std::string id;
    if (auto key = crypto::parse_spki_der(e.public_key)) {
      if (auto hex = crypto::spki_key_id(*key)) id = std::move(*hex);
    }
    cached = key_ids_.emplace(spki, std::move(id)).first;
  }
  if (cached->second.empty()) return unreadable("a public key", "the entry's public key cannot be read");
  const std::string signer = "key " + cached->second;
  const trust::SigningKey* k = root_.find_signing_key(cached->second);
  if (k == nullptr) return unlisted(e, signer);
  return scope(*k, e, signer, kKeyFindings);
}

EntryVerdict EntryJudge::judge_certificate(const tlog::ChartEntry& e) {
  auto cert = crypto::Certificate::parse_der(e.certificate);
  if (!cert) return unreadable("a certificate", "the entry's certificate cannot be read: " + cert.error().message);
  auto named = sigstore::certificate_identity(*cert);
  if (!named) return unreadable("a certificate", "the entry's certificate names no identity: " + named.error().message);
  policy::SignerIdentity id{named->subject, named->issuer, named->claims};
  const std::string signer = "identity " + id.subject + " (issuer " + id.issuer + ")";
  std::optional<EntryVerdict> first;
  for (const auto& listed : root_.signing_identities) {
    if (!listed.identity.matches(id)) continue;
    EntryVerdict v = scope(listed, e, signer, kIdentityFindings);
    if (v.finding == EntryFinding::allowed) return v;
    if (!first) first = std::move(v);
  }
  if (first) return *first;
  return unlisted(e, signer);
}

EntryVerdict EntryJudge::judge_openpgp(const tlog::ChartEntry& e) {
  auto packet = openpgp::read_packet(e.openpgp_key);
  if (!packet || packet->tag != static_cast<std::uint8_t>(openpgp::PacketTag::kPublicKey)) {
    return unreadable("an OpenPGP key", "the entry's OpenPGP key does not start with a public key packet");
  }
  auto key = openpgp::parse_public_key(packet->body);
  if (!key) return unreadable("an OpenPGP key", "the entry's OpenPGP key cannot be read: " + key.error().message);
  const std::string fingerprint = hex_encode_upper(key->fingerprint);
  const std::string signer = "openpgp " + fingerprint;
  const auto found = by_fingerprint_.find(fingerprint);
  if (found == by_fingerprint_.end()) return unlisted(e, signer);
  return scope(*found->second, e, signer, kKeyFindings);
}

}  // namespace chartprov::app::log
