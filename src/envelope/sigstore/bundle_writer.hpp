#pragma once
// Writing Sigstore bundles (v0.3) in the shape cosign v3 writes them
// (tests/data/cosign/FORMAT.md D1): key-based, the verification material is
// only a hint (base64 of the key id, the SHA-256 of the key's SPKI); with a
// certificate (a private CA's: docs/KEY-MANAGEMENT.md, "Signing with your own
// CA"), it is the signing certificate alone, as v0.3 requires (`certificate`,
// never `x509CertificateChain`: the CA certificates are the verifier's
// trusted root's). No log entry, no timestamp. `key_id` below is those 32 bytes
// (crypto::spki_key_id_bytes).
#include <string>
#include <string_view>
#include <vector>

#include "envelope/sigstore/tlog_entry.hpp"
#include "util/bytes.hpp"

namespace chartprov::sigstore {

inline constexpr std::string_view kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

// messageSignature over an artifact; digest_algorithm ("SHA2_256",
// "SHA2_384", "SHA2_512") is the hash the signature uses (the key's: P-384
// signs SHA-384), artifact_digest the artifact's digest with it.
std::string write_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest, ByteView signature,
                                 ByteView key_id);
// As above, with transparency-log entries in verificationMaterial.tlogEntries
// (protojson: int64 as strings, bytes as standard base64, the fields of
// TransparencyLogEntry in proto order; integratedTime and inclusionPromise
// only when set). Written as given: the caller checked them.
std::string write_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest, ByteView signature,
                                 ByteView key_id, const std::vector<TlogEntry>& tlog_entries);
std::string write_certificate_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest,
                                             ByteView signature, ByteView certificate_der,
                                             const std::vector<TlogEntry>& tlog_entries);
// One TransparencyLogEntry alone, as written in tlogEntries (parse_tlog_entry
// reads it back), pretty-printed, ending in a newline: a .prov's side file.
std::string write_tlog_entry(const TlogEntry& entry);
// The common case: a SHA-256 digest (P-256, RSA, Ed25519ph keys).
inline std::string write_message_bundle(ByteView artifact_sha256, ByteView signature_der, ByteView key_id) {
  return write_message_bundle("SHA2_256", artifact_sha256, signature_der, key_id);
}

// messageSignature as above, signed by the key of `certificate_der` (the
// DER leaf, written as verificationMaterial.certificate.rawBytes). Nothing is
// checked here: the signer checks the certificate before signing.
std::string write_certificate_message_bundle(std::string_view digest_algorithm, ByteView artifact_digest,
                                             ByteView signature, ByteView certificate_der);

// DSSE Pre-Authentication Encoding: "DSSEv1" SP len(type) SP type SP len(payload) SP payload.
Bytes dsse_pae(std::string_view payload_type, ByteView payload);

// dsseEnvelope bundle: signature is over dsse_pae(payload_type, payload).
std::string write_dsse_bundle(std::string_view payload_type, ByteView payload, ByteView signature, ByteView key_id);

// dsseEnvelope bundle as above, signed by the key of `certificate_der` (the
// DER leaf, written as verificationMaterial.certificate.rawBytes). Nothing is
// checked here: the signer checks the certificate before signing.
std::string write_certificate_dsse_bundle(std::string_view payload_type, ByteView payload, ByteView signature,
                                          ByteView certificate_der);

}  // namespace chartprov::sigstore
