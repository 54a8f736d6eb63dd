#pragma once
// OCI 1.1 referrers (distribution-spec 1.1, "Listing Referrers" and
// "Referrers Tag Schema"; tests/data/cosign/FORMAT.md C2): the image index
// that lists the manifests whose `subject` is a given manifest. A registry
// with the referrers API answers it at /v2/<repo>/referrers/<digest>; on one
// without, whoever pushes a referrer keeps it under the tag sha256-<hex>
// (oci::referrers_tag), read, modified and pushed again.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/manifest.hpp"
#include "util/result.hpp"

namespace chartprov::oci {

// The most Sigstore bundle referrers one manifest may have for a verification
// to read them; more is refused, never silently cut.
inline constexpr std::size_t kMaxBundleReferrers = 64;

// A referrer as a referrers list names it (the spec's rule): the pushed
// manifest's media type, digest and size; its artifactType, or its config's
// media type when it has none; every annotation of the manifest.
Descriptor referrer_descriptor(const Manifest& referrer, std::string_view digest, std::int64_t size);

// The text of the referrers fallback index with `referrer` listed: a new
// index when there was none (`current` nullopt: the tag answered 404), else
// `current` with the descriptor appended to its "manifests" and every other
// entry and field kept (the registry's other referrers, another tool's
// included). nullopt when a descriptor of that digest is listed already:
// nothing to push.
// Refusals: `current` is not an image index (parse_index's refusals, as
// "the referrers tag holds no image index: ..."); the index would list more
// than kMaxLayers manifests ("the referrers index is full (1000 manifests)"),
// or be larger than kMaxManifest.
Result<std::optional<std::string>> add_to_referrers_index(std::optional<std::string_view> current,
                                                          const Descriptor& referrer);

// The Sigstore bundle referrers (artifactType kBundleV03) of the listings,
// each digest once, in the order listed.
// Refusals: more than kMaxBundleReferrers of them ("more than 64 Sigstore
// bundle referrers").
Result<std::vector<Descriptor>> bundle_referrers(const std::vector<Index>& listings);

}  // namespace chartprov::oci
