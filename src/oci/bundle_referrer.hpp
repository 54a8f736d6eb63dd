#pragma once
// cosign v3's signature of an OCI manifest (tests/data/cosign/FORMAT.md C2;
// cosign specs/BUNDLE_SPEC.md, pkg/oci/remote/write.go WriteReferrer): an
// in-toto statement naming the manifest digest, signed as DSSE inside a
// Sigstore bundle v0.3, pushed as a referrer manifest whose subject is the
// signed manifest (payload type sigstore::kInTotoPayloadType).
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "oci/manifest.hpp"

namespace chartprov::oci {

inline constexpr std::string_view kCosignSignPredicate = "https://sigstore.dev/cosign/sign/v1";
// The empty descriptor's blob (image-spec "Guidance for an empty descriptor").
inline constexpr std::string_view kEmptyJson = "{}";

// The statement cosign v3 signs for a manifest, compact, in protojson's
// field order (no subject name, empty annotations):
// {"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"<hex>"},"annotations":{}}],
//  "predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}
// manifest_digest: "sha256:<hex>".
std::string cosign_sign_statement(std::string_view manifest_digest);

// The referrer manifest cosign v3 pushes for a bundle, in Go's field order:
// artifactType kBundleV03, config = the empty descriptor (artifactType
// kBundleV03), one layer = the bundle (media type kBundleV03, title
// annotation sha256-<hex>.sigstore.json), subject = the signed manifest's
// descriptor, annotations dev.sigstore.bundle.content (dsse-envelope),
// dev.sigstore.bundle.predicateType and org.opencontainers.image.created
// (`created`, RFC 3339).
std::string bundle_referrer_manifest(const Descriptor& subject, std::string_view bundle_json, std::string_view created);

// Whether `bundle_json` is a DSSE bundle of exactly `statement` signed by
// `key`. Sign uses it to find this key's earlier signature of a manifest;
// verification proper (subjects, log entries, timestamps) is
// app::verify_bundle_for_digest's. Anything unreadable is false.
bool is_dsse_signature_of(std::string_view bundle_json, std::string_view statement, const crypto::PKey& key);

}  // namespace chartprov::oci
