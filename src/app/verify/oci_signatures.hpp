#pragma once
// cosign signatures of an OCI manifest, both forms cosign writes: the legacy
// sha256-<hex>.sig manifest, and OCI 1.1 referrers holding a Sigstore DSSE
// bundle whose in-toto subject is the manifest digest (FORMAT.md C).
#include <cstdint>
#include <string_view>
#include <vector>

#include "app/helpers/oci_client.hpp"
#include "app/verify/bundle_verify.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "oci/cosign_signature.hpp"

namespace chartprov::app {

// The Sigstore bundle referrers listed for manifest_digest by the referrers
// API (api: the get-referrers answer) and the referrers tag (tag: the answer
// to get-manifest of oci::referrers_tag), each digest once.
// Refusals: read_referrer_listings' (app/helpers/oci_referrers.hpp: an
// answer that is not an image index, too large, or another status than
// 200/404) and oci::bundle_referrers' (more than oci::kMaxBundleReferrers).
Result<std::vector<oci::Descriptor>> bundle_referrers_listed(const OciResult& api, const OciResult& tag,
                                                             std::string_view manifest_digest);

// The manifest of a listed referrer from the registry's answer to
// get-manifest of its digest. Refusals: no answer ("referrer <digest>:
// <transport error>" or "... the registry answered <status>"); bytes that are
// not the ones listed ("referrer <digest> does not match its digest"); no
// manifest ("referrer <digest>: <parse_manifest's refusal>").
Result<oci::Manifest> referrer_manifest(const OciResult& answer, const oci::Descriptor& listed);

// The Sigstore bundle a referrer manifest holds, for manifest_digest.
// Refusals: a subject that is not manifest_digest ("the referrer's subject is
// <digest|missing>, not <manifest_digest>"); no bundle layer ("the referrer
// holds no Sigstore bundle layer", or oci::Manifest::layer's refusal of two);
// a blob that cannot be read or is not its descriptor's ("bundle <digest>:
// <the source's refusal>").
Result<Bytes> referrer_bundle(const oci::Manifest& referrer, std::string_view manifest_digest,
                              const oci::BlobSource& blobs);

// A referrer's bundle signed with a certificate (keyless, or a private CA's),
// checked as verify_certificate_bundle checks it (certificate_bundle.hpp):
// its DSSE in-toto statement must name manifest_digest ("sha256:<hex>") as a
// subject. Never an Error: the refusal is the check's reason.
BundleCheck verify_referrer_certificate(std::string_view bundle_json, std::string_view manifest_digest,
                                        const sigstore::TrustedRoot& root, std::int64_t now);

// A referrer manifest (artifactType/layer: Sigstore bundle v0.3) must name
// manifest_digest as its subject, and its bundle must verify for it.
oci::SignatureVerdict verify_referrer_manifest(const oci::Manifest& referrer, std::string_view manifest_digest,
                                               const crypto::PKey& key, const oci::BlobSource& blobs,
                                               const sigstore::TrustedRoot* root);

}  // namespace chartprov::app
