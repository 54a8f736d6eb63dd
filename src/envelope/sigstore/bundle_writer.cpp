#include "envelope/sigstore/bundle_writer.hpp"

#include <nlohmann/json.hpp>

#include "util/encoding.hpp"

namespace chartprov::sigstore {
namespace {

using nlohmann::ordered_json;

ordered_json material(ByteView key_id) { return {{"publicKey", {{"hint", base64_encode(key_id)}}}}; }

ordered_json entry_json(const TlogEntry& e) {
  ordered_json out;
  out["logIndex"] = std::to_string(e.log_index);
  out["logId"] = {{"keyId", base64_encode(e.log_id)}};
  out["kindVersion"] = {{"kind", e.kind}, {"version", e.version}};
  if (e.integrated_time) out["integratedTime"] = std::to_string(*e.integrated_time);
  if (e.signed_entry_timestamp) {
    out["inclusionPromise"] = {{"signedEntryTimestamp", base64_encode(*e.signed_entry_timestamp)}};
  }
  if (e.proof) {
    ordered_json hashes = ordered_json::array();
    for (const Bytes& h : e.proof->hashes) hashes.push_back(base64_encode(h));
    out["inclusionProof"] = {{"logIndex", std::to_string(e.proof->log_index)},
                             {"rootHash", base64_encode(e.proof->root_hash)},
                             {"treeSize", std::to_string(e.proof->tree_size)},
                             {"hashes", std::move(hashes)},
                             {"checkpoint", {{"envelope", e.proof->checkpoint}}}};
  }
  out["canonicalizedBody"] = base64_encode(e.body);
  return out;
}

ordered_json with_entries(ordered_json verification_material, const std::vector<TlogEntry>& entries) {
  if (entries.empty()) return verification_material;
  ordered_json& list = verification_material["tlogEntries"] = ordered_json::array();
  for (const auto& e : entries) list.push_back(entry_json(e));
  return verification_material;
}

std::string message_bundle(ordered_json verification_material, std::string_view digest_algorithm,
                           ByteView artifact_digest, ByteView signature) {
  ordered_json doc;
  doc["mediaType"] = std::string(kBundleMediaTypeV03);
  doc["verificationMaterial"] = std::move(verification_material);
  doc["messageSignature"] = {
      {"messageDigest", {{"algorithm", std::string(digest_algorithm)}, {"digest", base64_encode(artifact_digest)}}},
      {"signature", base64_encode(signature)}};
  return doc.dump() + "\n";
}

std::string dsse_bundle(ordered_json verification_material, std::string_view payload_type, ByteView payload,
                        ByteView signature) {
  ordered_json doc;
  doc["mediaType"] = std::string(kBundleMediaTypeV03);
  doc["verificationMaterial"] = std::move(verification_material);
  // sigstore-go leaves keyid empty for key-based DSSE; empty strings are omitted in protojson.
  doc["dsseEnvelope"] = {{"payload", base64_encode(payload)},
                         {"payloadType", std::string(payload_type)},
                         {"signatures", ordered_json::array({{{"sig", base64_encode(signature)}}})}};
  return doc.dump() + "\n";
}

}  // namespace

std::string write_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest, ByteView signature,
                                 ByteView key_id) {
  return message_bundle(material(key_id), digest_algorithm, artifact_digest, signature);
}

std::string write_tlog_entry(const TlogEntry& entry) { return entry_json(entry).dump(2) + "\n"; }

std::string write_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest, ByteView signature,
                                 ByteView key_id, const std::vector<TlogEntry>& tlog_entries) {
  return message_bundle(with_entries(material(key_id), tlog_entries), digest_algorithm, artifact_digest, signature);
}

std::string write_certificate_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest,
                                             ByteView signature, ByteView certificate_der,
                                             const std::vector<TlogEntry>& tlog_entries) {
  return message_bundle(with_entries({{"certificate", {{"rawBytes", base64_encode(certificate_der)}}}}, tlog_entries),
                        digest_algorithm, artifact_digest, signature);
}

std::string write_certificate_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest,
                                             ByteView signature, ByteView certificate_der) {
  return message_bundle({{"certificate", {{"rawBytes", base64_encode(certificate_der)}}}}, digest_algorithm,
                        artifact_digest, signature);
}

Bytes dsse_pae(std::string_view payload_type, ByteView payload) {
  const std::string head = "DSSEv1 " + std::to_string(payload_type.size()) + " " + std::string(payload_type) + " " +
                           std::to_string(payload.size()) + " ";
  Bytes out(head.begin(), head.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::string write_dsse_bundle(std::string_view payload_type, ByteView payload, ByteView signature, ByteView key_id) {
  return dsse_bundle(material(key_id), payload_type, payload, signature);
}

std::string write_certificate_dsse_bundle(std::string_view payload_type, ByteView payload, ByteView signature,
                                          ByteView certificate_der) {
  return dsse_bundle({{"certificate", {{"rawBytes", base64_encode(certificate_der)}}}}, payload_type, payload,
                     signature);
}

}  // namespace chartprov::sigstore
