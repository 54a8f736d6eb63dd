#include "app/log/entry_signature.hpp"

#include "app/verify/cosign_prov_check.hpp"
#include "envelope/sigstore/log_key.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "openpgp/cert.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "util/encoding.hpp"

namespace chartprov::app::log {

Result<crypto::PKey> hashedrekord_key(const tlog::ChartEntry& entry) {
  Bytes spki = entry.public_key;
  if (spki.empty()) {
    auto cert = crypto::Certificate::parse_der(entry.certificate);
    if (!cert) return input_error("the certificate: " + cert.error().message);
    spki = cert->spki_der();
  }
  auto key = sigstore::parse_log_key(entry.key_details, spki);
  if (!key) return key.error();
  if (crypto::key_type(key->key) == crypto::KeyType::kEd25519)
    return input_error("Ed25519 signs the chart, not its digest: the log cannot check it");
  return std::move(key->key);
}

Result<crypto::PKey> certificate_primary_key(ByteView certificate) {
  const auto not_one = [] { return input_error("the public key is not one OpenPGP certificate"); };
  auto packets = openpgp::read_packets(certificate);
  if (!packets || packets->empty()) return not_one();
  auto leading = openpgp::leading_certificate(*packets);
  if (!leading || leading->more || leading->bytes.size() != certificate.size()) return not_one();
  auto key = openpgp::to_openssl_public_key(leading->primary);
  if (!key) return input_error("the public key: " + key.error().message);
  // An EC key built for fast verification (crypto::PKey::direct) answers no
  // provider parameters, which the .prov check reads back (curve, point): take
  // the provider's form of the same key.
  auto spki = crypto::spki_der(*key);
  if (!spki) return input_error("the public key: " + spki.error().message);
  auto plain = crypto::parse_spki_der(*spki);
  if (!plain) return input_error("the public key: " + plain.error().message);
  return std::move(*plain);
}

Status check_entry_signature(const tlog::ChartEntry& entry, std::int64_t now) {
  if (entry.kind == tlog::EntryKind::hashedrekord) {
    TRY(const crypto::PKey key, hashedrekord_key(entry));
    if (!crypto::verify_digest_encoded(key, crypto::DigestAlg::kSha256, entry.digest, entry.signature))
      return input_error("the signature does not verify over the digest");
    return ok_status();
  }
  TRY(const crypto::PKey key, certificate_primary_key(entry.openpgp_key));
  ProvArchiveFacts chart;
  chart.file_name = entry.event.chart + "-" + entry.event.version + ".tgz";
  chart.digest = "sha256:" + hex_encode(entry.digest);
  chart.name = entry.event.chart;
  chart.version = entry.event.version;
  const ProvKeyCheck check = verify_prov_with_key(as_chars(entry.provenance), key, chart, now);
  if (!check.signed_by_key) return input_error("the provenance is not signed by the certificate's primary key");
  if (!check.verified) return input_error("the provenance: " + check.reason);
  return ok_status();
}

}  // namespace chartprov::app::log
