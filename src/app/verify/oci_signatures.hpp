#pragma once
// cosign signatures of an OCI manifest, both forms cosign writes: the legacy
// sha256-<hex>.sig manifest, and OCI 1.1 referrers holding a Sigstore DSSE
// bundle whose in-toto subject is the manifest digest (FORMAT.md C).
#include <string_view>

#include "envelope/sigstore/trusted_root.hpp"
#include "oci/cosign_signature.hpp"

namespace chartprov::app {

// A referrer manifest (artifactType/layer: Sigstore bundle v0.3) must name
// manifest_digest as its subject, and its bundle must verify for it.
oci::SignatureVerdict verify_referrer_manifest(const oci::Manifest& referrer, std::string_view manifest_digest,
                                               const crypto::PKey& key, const oci::BlobSource& blobs,
                                               const sigstore::TrustedRoot* root);

}  // namespace chartprov::app
