#pragma once
// Writing Sigstore bundles (v0.3, key-based) in the shape cosign v3 writes
// them (tests/data/cosign/FORMAT.md D1): verification material is only a
// hint (base64 SHA-256 of the key's SPKI); no log entry, no timestamp.
#include <string>
#include <string_view>

#include "util/bytes.hpp"

namespace chartprov::sigstore {

inline constexpr std::string_view kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

// messageSignature over an artifact whose SHA-256 is artifact_sha256.
std::string write_message_bundle(ByteView artifact_sha256, ByteView signature, ByteView spki_der);

// DSSE Pre-Authentication Encoding: "DSSEv1" SP len(type) SP type SP len(payload) SP payload.
Bytes dsse_pae(std::string_view payload_type, ByteView payload);

// dsseEnvelope bundle: signature is over dsse_pae(payload_type, payload).
std::string write_dsse_bundle(std::string_view payload_type, ByteView payload, ByteView signature, ByteView spki_der);

}  // namespace chartprov::sigstore
