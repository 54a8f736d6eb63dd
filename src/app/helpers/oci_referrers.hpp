#pragma once
// Where a registry lists the referrers of a manifest (oci/referrers.hpp):
// its referrers API (GET /v2/<repo>/referrers/<digest>, op get-referrers) and
// the referrers tag sha256-<hex> (get-manifest), read together. Sign and
// verify oci:// both read them; a listing that cannot be read is an error,
// never an empty list.
#include <string_view>
#include <vector>

#include "app/helpers/oci_client.hpp"
#include "oci/manifest.hpp"

namespace chartprov::app {

struct ReferrerListings {
  bool api = false;                 // the registry answered its referrers API
  std::vector<oci::Index> indexes;  // the API's answer, then the tag's (each when there)
};

// api: the answer to get-referrers; tag: the answer to get-manifest of
// `tag_name` (oci::referrers_tag). A 404 (or 400, as go-containerregistry
// takes it) from the API means the registry has none; a 404 for the tag
// means nothing was listed there.
// Refusals (input errors): a transport error ("the referrers API: <error>",
// "the referrers tag <tag_name>: <error>": an answer over the manifest cap
// is one); any other status ("... answered <status>"); a body that is not an
// image index ("... is not an image index: <why>").
Result<ReferrerListings> read_referrer_listings(const OciResult& api, const OciResult& tag, std::string_view tag_name);

// The current text of the referrers tag for a read-modify-write: nullopt
// when the tag answered 404. Refusals: as read_referrer_listings' for the tag.
Result<std::optional<std::string>> referrers_tag_text(const OciResult& tag, std::string_view tag_name);

}  // namespace chartprov::app
