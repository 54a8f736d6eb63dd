#include "envelope/sigstore/bundle.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "envelope/sigstore/proto_json.hpp"
#include "infra/json/untrusted_json.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::sigstore {
namespace {

using nlohmann::json;
using namespace protojson;

Result<TlogEntry> parse_entry(const json& e) {
  TRY_STATUS(check_fields(e, {"logIndex", "logId", "kindVersion", "integratedTime", "inclusionPromise",
                              "inclusionProof", "canonicalizedBody"}));
  TlogEntry t;
  TRY(t.log_index, int64_field(e, "logIndex", true));
  if (t.log_index < 0) return input_error("logIndex is negative");
  const json* log_id = field(e, "logId");
  if (log_id == nullptr) return input_error("tlog entry without logId");
  TRY_STATUS(check_fields(*log_id, {"keyId"}));
  TRY(t.log_id, bytes_field(*log_id, "keyId", true));
  const json* kv = field(e, "kindVersion");
  if (kv == nullptr) return input_error("tlog entry without kindVersion");
  TRY_STATUS(check_fields(*kv, {"kind", "version"}));
  TRY(t.kind, string_field(*kv, "kind", true));
  TRY(t.version, string_field(*kv, "version", true));
  if (field(e, "integratedTime") != nullptr) {
    TRY(const std::int64_t it, int64_field(e, "integratedTime", true));
    if (it < 0) return input_error("integratedTime is negative");
    if (it != 0) t.integrated_time = it;
  }
  if (const json* promise = field(e, "inclusionPromise")) {
    TRY_STATUS(check_fields(*promise, {"signedEntryTimestamp"}));
    TRY(t.signed_entry_timestamp, bytes_field(*promise, "signedEntryTimestamp", true));
  }
  if (const json* proof = field(e, "inclusionProof")) {
    TRY_STATUS(check_fields(*proof, {"logIndex", "rootHash", "treeSize", "hashes", "checkpoint"}));
    InclusionProof p;
    TRY(p.log_index, int64_field(*proof, "logIndex", true));
    TRY(p.root_hash, bytes_field(*proof, "rootHash", true));
    TRY(p.tree_size, int64_field(*proof, "treeSize", true));
    if (p.log_index < 0 || p.tree_size < 0) return input_error("inclusionProof logIndex or treeSize is negative");
    if (const json* hashes = field(*proof, "hashes")) {
      if (!hashes->is_array() || hashes->size() > 64) return input_error("inclusionProof.hashes must be a list");
      for (const auto& h : *hashes) {
        if (!h.is_string()) return input_error("inclusionProof.hashes must be base64 strings");
        TRY(Bytes b, decode_proto_bytes(h.get<std::string>()));
        p.hashes.push_back(std::move(b));
      }
    }
    const json* cp = field(*proof, "checkpoint");
    if (cp == nullptr) return input_error("inclusionProof without checkpoint");
    TRY_STATUS(check_fields(*cp, {"envelope"}));
    TRY(p.checkpoint, string_field(*cp, "envelope", true));
    t.proof = std::move(p);
  }
  TRY(t.body, bytes_field(e, "canonicalizedBody", true));
  return t;
}

Result<std::vector<Bytes>> parse_chain(const json& chain) {
  TRY_STATUS(check_fields(chain, {"certificates"}));
  const json* certs = field(chain, "certificates");
  if (certs == nullptr || (certs->is_array() && certs->empty()))
    return input_error("x509CertificateChain holds no certificate");
  if (!certs->is_array() || certs->size() > kMaxCertificates)
    return input_error("x509CertificateChain.certificates must be a list of at most " +
                       std::to_string(kMaxCertificates));
  std::vector<Bytes> out;
  for (const auto& c : *certs) {
    TRY_STATUS(check_fields(c, {"rawBytes"}));
    TRY(Bytes der, bytes_field(c, "rawBytes", true));
    out.push_back(std::move(der));
  }
  return out;
}

Result<int> minor_of(const std::string& media_type) {
  if (media_type == "application/vnd.dev.sigstore.bundle.v0.3+json") return 3;
  constexpr std::string_view kOld = "application/vnd.dev.sigstore.bundle+json;version=0.";
  if (media_type.size() == kOld.size() + 1 && media_type.compare(0, kOld.size(), kOld) == 0) {
    const char v = media_type.back();
    if (v >= '1' && v <= '3') return v - '0';
  }
  return input_error("unsupported bundle media type \"" + media_type + "\" (v0.1 to v0.3 are read)");
}

}  // namespace

Result<Bytes> decode_proto_bytes(std::string_view text) { return protojson::decode_bytes(text); }

Result<TlogEntry> parse_tlog_entry(std::string_view text) {
  if (text.size() > kMaxTlogEntry) return input_error("tlog entry larger than " + byte_size_text(kMaxTlogEntry));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded() || !doc.is_object()) return input_error("tlog entry is not a JSON object");
  return parse_entry(doc);
}

Result<Bundle> parse_bundle(std::string_view text) {
  if (text.size() > kMaxBundle) return input_error("bundle larger than " + byte_size_text(kMaxBundle));
  const json doc = parse_untrusted_json(text);
  if (doc.is_discarded()) return input_error("bundle is not valid JSON");
  if (!doc.is_object()) return input_error("bundle is not a JSON object");
  TRY_STATUS(check_fields(doc, {"mediaType", "verificationMaterial", "messageSignature", "dsseEnvelope"}));
  Bundle b;
  TRY(b.media_type, string_field(doc, "mediaType", true));
  TRY(b.minor_version, minor_of(b.media_type));

  const json* vm = field(doc, "verificationMaterial");
  if (vm == nullptr) return input_error("bundle without verificationMaterial");
  TRY_STATUS(check_fields(
      *vm, {"publicKey", "x509CertificateChain", "certificate", "tlogEntries", "timestampVerificationData"}));
  int contents = 0;
  if (const json* pk = field(*vm, "publicKey")) {
    TRY_STATUS(check_fields(*pk, {"hint"}));
    TRY(b.hint, string_field(*pk, "hint", false));
    ++contents;
  }
  if (const json* chain = field(*vm, "x509CertificateChain")) {
    if (b.minor_version >= 3) return input_error("a v0.3 bundle may not use x509CertificateChain");
    TRY(b.certificates, parse_chain(*chain));
    ++contents;
  }
  if (const json* cert = field(*vm, "certificate")) {
    TRY_STATUS(check_fields(*cert, {"rawBytes"}));
    TRY(Bytes der, bytes_field(*cert, "rawBytes", true));
    b.certificates.push_back(std::move(der));
    ++contents;
  }
  b.has_certificate = !b.certificates.empty();
  if (contents != 1) return input_error("verificationMaterial must hold exactly one of publicKey, certificate, chain");
  if (const json* entries = field(*vm, "tlogEntries")) {
    if (!entries->is_array()) return input_error("tlogEntries must be a list");
    if (entries->size() > kMaxTlogEntries)
      return input_error("more than " + std::to_string(kMaxTlogEntries) + " tlog entries");
    for (const auto& e : *entries) {
      auto entry = parse_entry(e);
      if (!entry) return entry.error().with_context("tlog entry");
      if (b.minor_version >= 2 && !entry->proof) return input_error("v0.2+ tlog entries need an inclusion proof");
      if (b.minor_version == 1 && !entry->signed_entry_timestamp)
        return input_error("v0.1 tlog entries need an inclusion promise");
      b.tlog_entries.push_back(std::move(*entry));
    }
  }
  if (const json* tvd = field(*vm, "timestampVerificationData")) {
    TRY_STATUS(check_fields(*tvd, {"rfc3161Timestamps"}));
    if (const json* ts = field(*tvd, "rfc3161Timestamps")) {
      if (!ts->is_array()) return input_error("rfc3161Timestamps must be a list");
      if (ts->size() > kMaxTimestamps)
        return input_error("more than " + std::to_string(kMaxTimestamps) + " RFC 3161 timestamps");
      for (const auto& t : *ts) {
        TRY_STATUS(check_fields(t, {"signedTimestamp"}));
        TRY(Bytes raw, bytes_field(t, "signedTimestamp", true));
        b.rfc3161_timestamps.push_back(std::move(raw));
      }
    }
  }

  const json* ms = field(doc, "messageSignature");
  const json* dsse = field(doc, "dsseEnvelope");
  if ((ms == nullptr) == (dsse == nullptr))
    return input_error("a bundle holds exactly one of messageSignature, dsseEnvelope");
  if (ms != nullptr) {
    TRY_STATUS(check_fields(*ms, {"messageDigest", "signature"}));
    MessageSignature m;
    const json* md = field(*ms, "messageDigest");
    if (md == nullptr) return input_error("messageSignature without messageDigest");
    TRY_STATUS(check_fields(*md, {"algorithm", "digest"}));
    TRY(m.digest_algorithm, string_field(*md, "algorithm", true));
    static const std::set<std::string> kAlgs = {"SHA2_256", "SHA2_384", "SHA2_512"};
    if (kAlgs.count(m.digest_algorithm) == 0)
      return input_error("unsupported messageDigest algorithm " + m.digest_algorithm);
    TRY(m.digest, bytes_field(*md, "digest", true));
    TRY(m.signature, bytes_field(*ms, "signature", true));
    b.message = std::move(m);
  } else {
    TRY_STATUS(check_fields(*dsse, {"payload", "payloadType", "signatures"}));
    DsseEnvelope d;
    TRY(d.payload, bytes_field(*dsse, "payload", true));
    TRY(d.payload_type, string_field(*dsse, "payloadType", true));
    const json* sigs = field(*dsse, "signatures");
    if (sigs == nullptr || !sigs->is_array() || sigs->size() != 1)
      return input_error("a DSSE envelope must hold exactly one signature");
    TRY_STATUS(check_fields((*sigs)[0], {"sig", "keyid"}));
    TRY(d.signature, bytes_field((*sigs)[0], "sig", true));
    TRY(d.keyid, string_field((*sigs)[0], "keyid", false));
    b.dsse = std::move(d);
  }
  return b;
}

}  // namespace chartprov::sigstore
