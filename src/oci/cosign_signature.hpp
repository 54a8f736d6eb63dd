#pragma once
// cosign signatures stored in an OCI registry, legacy form (FORMAT.md C1):
// tag sha256-<hex>.sig holds an image manifest with one simple-signing layer
// per signature; the layer blob is the signed payload, the signature is the
// layer's dev.cosignproject.cosign/signature annotation.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "oci/manifest.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::oci {

inline constexpr std::string_view kSignatureAnnotation = "dev.cosignproject.cosign/signature";
// The most a simple-signing payload layer may hold; a bigger layer is not fetched.
inline constexpr std::uint64_t kMaxSimpleSigningPayload = 4u << 20;

// Blob bytes for a descriptor; sources check digest and size (check_blob).
using BlobSource = std::function<Result<Bytes>(const Descriptor&)>;

// The bytes must be the descriptor's: SHA-256 and size.
Status check_blob(const Descriptor& d, ByteView bytes);

// The payload cosign signs, byte for byte (Go's field order, no spaces).
std::string simple_signing_payload(std::string_view docker_reference, std::string_view manifest_digest);

struct SignatureVerdict {
  bool verified = false;
  int good = 0;        // layers that verified
  std::string reason;  // why none did
};

// One good layer suffices (cosign's rule); a layer whose payload names
// another digest, or whose signature is by another key, does not count.
SignatureVerdict verify_signature_manifest(const Manifest& sig_manifest, std::string_view manifest_digest,
                                           const crypto::PKey& key, const BlobSource& blobs);

}  // namespace chartprov::oci
