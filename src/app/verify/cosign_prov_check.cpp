#include "app/verify/cosign_prov_check.hpp"

#include <algorithm>

#include "app/verify/signature_policy.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/signature.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

ProvKeyCheck fail(std::string reason) { return {false, false, false, std::move(reason), 0}; }
ProvKeyCheck fail_signed(std::string reason) { return {false, true, false, std::move(reason), 0}; }

// Whether sig verifies under key at all (identity by key material: the
// fingerprint is unknowable here, so the issuer the signature names is taken
// and the math decides).
bool made_by(const openpgp::Signature& sig, const crypto::PKey& key, std::string_view text) {
  auto pk = openpgp::openpgp_public_key(key, 0, sig.pubkey_algo == 27);
  if (!pk) return false;
  if (sig.issuer_fingerprint.size() == pk->fingerprint.size()) pk->fingerprint = sig.issuer_fingerprint;
  if (sig.issuer_key_id) pk->key_id = *sig.issuer_key_id;
  return openpgp::verify_signature(sig, *pk, as_bytes(text)).valid;
}

// Why a signature this key made is still not acceptable; "" if it is.
std::string policy_refusal(const openpgp::Signature& sig, std::int64_t now) {
  if (sig.type != 0x00 && sig.type != 0x01) return "not a document signature";
  if (sig.has_unknown_critical) return "the signature has an unknown critical subpacket";
  if (is_weak_hash(sig.hash_algo))
    return openpgp::hash_header_name(sig.hash_algo) + " signatures are refused (too weak)";
  if (!sig.created) return "the signature has no creation time";
  if (static_cast<std::int64_t>(*sig.created) > now + kClockSkewSeconds) return "the signature is dated in the future";
  if (sig.expires_after && *sig.expires_after != 0 &&
      now >= static_cast<std::int64_t>(*sig.created) + *sig.expires_after) {
    return "the signature expired";
  }
  return "";
}

}  // namespace

ProvKeyCheck verify_prov_with_key(std::string_view prov_text, const crypto::PKey& key, const ProvArchiveFacts& chart,
                                  std::int64_t now) {
  auto ct = envelope::prov::parse_cleartext(prov_text);
  if (!ct) return fail("provenance: " + ct.error().message);
  auto sigs = openpgp::parse_signatures(ct->signature_packets);
  if (!sigs) return fail("signature block: " + sigs.error().message);
  if (sigs->empty()) return fail("the signature block holds no signature");
  if (!ct->has_hash_header) return fail("the cleartext has no Hash: header");

  ProvKeyCheck out;
  for (const auto& sig : *sigs) {
    const std::string name = openpgp::hash_header_name(sig.hash_algo);
    if (std::find(ct->hash_headers.begin(), ct->hash_headers.end(), name) == ct->hash_headers.end()) {
      return fail("the Hash: header does not name " + (name.empty() ? std::string("the signature's hash") : name));
    }
    if (!made_by(sig, key, ct->signed_text)) continue;
    out.signed_by_key = true;
    if (const std::string r = policy_refusal(sig, now); !r.empty()) {
      out.reason = r;
      return out;
    }
    out.signed_at = *sig.created;
    break;
  }
  if (!out.signed_by_key) {
    out.other_signer = true;
    out.reason = "no signature in it verifies with this key";
    return out;
  }

  auto block = envelope::prov::parse_message_block(ct->plaintext);
  if (!block) return fail_signed("provenance message: " + block.error().message);
  const auto* entry = block->find(chart.file_name);
  if (entry == nullptr) return fail_signed("the provenance has no digest for a file named \"" + chart.file_name + "\"");
  if (entry->algorithm + ":" + entry->hex != chart.digest) {
    return fail_signed("sha256 mismatch for " + chart.file_name + ": signed " + entry->algorithm + ":" + entry->hex +
                       ", archive is " + chart.digest);
  }
  const auto& meta = block->metadata;
  if (chart.name.empty()) return fail_signed("the archive's Chart.yaml could not be read");
  if (meta.name != chart.name || meta.version != chart.version) {
    return fail_signed("signed chart " + meta.name + " " + meta.version + " differs from the archive's " + chart.name +
                       " " + chart.version);
  }
  if (chart.file_name != meta.name + "-" + meta.version + ".tgz") {
    return fail_signed("file name " + chart.file_name + " does not match the signed chart (" + meta.name + "-" +
                       meta.version + ".tgz)");
  }
  out.verified = true;
  return out;
}

}  // namespace chartprov::app
