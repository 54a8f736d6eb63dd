#include "app/verify/certificate_bundle.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "app/verify/bundle_parts.hpp"
#include "app/verify/embedded_scts.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/certificate_identity.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

BundleCheck fail(BundleCheck c, std::string reason) {
  c.verified = false;
  c.reason = std::move(reason);
  return c;
}

// The root's CAs, each parsed the first time a signing time falls in its
// validity (parsing a certificate costs ~100 us in OpenSSL 3.0; the public-good
// root lists a CA whose validity ended in 2022). A CA whose certificates do not
// parse is skipped: it can vouch for nothing.
struct ParsedAuthority {
  const sigstore::CertificateAuthority* ca;
  std::optional<std::vector<crypto::Certificate>> chain;  // nullopt: not parsed yet
  bool usable = true;                                     // false: a certificate did not parse
};

std::vector<ParsedAuthority> list_authorities(const sigstore::TrustedRoot& root) {
  std::vector<ParsedAuthority> out;
  for (const auto& ca : root.certificate_authorities)
    out.push_back(ParsedAuthority{&ca, std::nullopt, !ca.chain.empty()});
  return out;
}

const std::vector<crypto::Certificate>* parsed_chain(ParsedAuthority& a) {
  if (!a.usable) return nullptr;
  if (!a.chain) {
    std::vector<crypto::Certificate> chain;
    for (const auto& der : a.ca->chain) {
      auto cert = crypto::Certificate::parse_der(der);
      if (!cert) {
        a.usable = false;
        return nullptr;
      }
      chain.push_back(std::move(*cert));
    }
    a.chain = std::move(chain);
  }
  return &*a.chain;
}

// The authority whose chain the leaf verifies through at `t` (the CA's own
// validity window included), or the last refusal.
Result<ParsedAuthority*> authority_at(const crypto::Certificate& leaf, std::vector<ParsedAuthority>& authorities,
                                      std::int64_t t) {
  std::string why = "no certificate authority of the trusted root is valid at " + format_rfc3339(t);
  for (auto& a : authorities) {
    if (!a.ca->valid.contains(t)) continue;
    const std::vector<crypto::Certificate>* chain = parsed_chain(a);
    if (chain == nullptr) {
      why = "a certificate of the trusted root's certificate authority " + a.ca->uri + " does not parse";
      continue;
    }
    if (auto ok = crypto::verify_certificate_chain(leaf, *chain, t, true); !ok) {
      why = ok.error().message;
      continue;
    }
    return &a;
  }
  return verify_error(why);
}

policy::SignerIdentity signer_identity(const sigstore::CertificateIdentity& id) {
  policy::SignerIdentity out;
  out.subject = id.subject;
  out.issuer = id.issuer;
  out.claims = id.claims;
  return out;
}

}  // namespace

BundleCheck verify_certificate_bundle(std::optional<ByteView> artifact, const std::optional<std::string>& subject_hex,
                                      std::string_view bundle_json, const sigstore::TrustedRoot& root, std::int64_t now,
                                      const tlog::ExpectedChart* chart) {
  BundleCheck c;
  auto b = sigstore::parse_bundle(bundle_json);
  if (!b) return fail(c, "bundle: " + b.error().message);
  c.content = b->message ? "message-signature" : "dsse";
  if (b->certificates.empty())
    return fail(c, "the bundle carries a public key hint, not a certificate: verify it with --key");
  auto leaf = crypto::Certificate::parse_der(b->certificates.front());
  if (!leaf) return fail(c, "the signing certificate: " + leaf.error().message);
  // A root comes from the trusted root only: a bundle that carries one is refused
  // (what else it carries after the leaf is ignored: the trusted root's chain decides).
  for (std::size_t i = 1; i < b->certificates.size(); ++i) {
    auto extra = crypto::Certificate::parse_der(b->certificates[i]);
    if (!extra) return fail(c, "a certificate of the bundle's chain: " + extra.error().message);
    if (extra->issued(*extra))
      return fail(c, "the bundle carries a root certificate; roots come from the trusted root");
  }
  auto key = leaf->public_key();
  if (!key) return fail(c, "the signing certificate's key: " + key.error().message);

  auto content = check_signed_content(*b, artifact, subject_hex, *key);
  if (!content) return fail(c, content.error().message);
  content->expected.certificate_der = leaf->der();
  content->expected.spki.reset();  // the body must name the certificate, not a bare key
  if (chart != nullptr) content->expected.chart = *chart;
  auto times = check_log_and_timestamps(*b, root, *content);
  if (!times) return fail(c, times.error().message);
  c.tlog_entries_verified = times->tlog_entries_verified;
  c.log_entries = times->entries;
  c.timestamps_verified = times->timestamps_verified;
  c.integrated_time = times->integrated_time;

  std::vector<std::int64_t> at = times->verified_times;
  if (at.empty()) {
    if (!root.tlogs.empty() || !root.timestamp_authorities.empty()) {
      return fail(c,
                  "no signed time: the bundle has neither a verified signed entry timestamp nor a verified "
                  "RFC 3161 timestamp, and a certificate is never checked against the clock alone");
    }
    at.push_back(now);  // a private CA with no log and no timestamp authority: the certificate must be valid now
  } else {
    c.signed_at = *std::min_element(at.begin(), at.end());
  }
  std::vector<ParsedAuthority> authorities = list_authorities(root);
  if (std::none_of(authorities.begin(), authorities.end(), [](const ParsedAuthority& a) { return a.usable; }))
    return fail(c, "the trusted root lists no certificate authority");
  const ParsedAuthority* issuer_ca = nullptr;
  for (const std::int64_t t : at) {
    auto ca = authority_at(*leaf, authorities, t);
    if (!ca) return fail(c, ca.error().message);
    issuer_ca = *ca;
  }
  // A private CA's trusted root names no URI: its root certificate's subject names it.
  c.certificate_authority = issuer_ca->ca->uri.empty() ? issuer_ca->chain->back().subject_text() : issuer_ca->ca->uri;

  if (!root.ctlogs.empty()) {
    const crypto::Certificate* issuer = crypto::find_issuer(*leaf, *issuer_ca->chain);
    if (issuer == nullptr) return fail(c, "no certificate of the authority issued the signing certificate");
    auto scts = verify_embedded_scts(*leaf, *issuer, root.ctlogs);
    if (!scts) return fail(c, scts.error().message);
    if (*scts == 0) return fail(c, "no embedded SCT verifies with a CT log of the trusted root");
    c.scts_verified = static_cast<int>(*scts);
  }
  auto id = sigstore::certificate_identity(*leaf);
  if (!id) return fail(c, "the certificate's identity: " + id.error().message);
  c.identity = signer_identity(*id);
  if (b->dsse && b->dsse->payload_type == sigstore::kInTotoPayloadType) {
    auto st = sigstore::parse_statement(as_chars(b->dsse->payload));
    if (!st) return fail(c, st.error().message);
    c.statement = std::move(*st);
  }
  c.verified = true;
  return c;
}

}  // namespace chartprov::app
