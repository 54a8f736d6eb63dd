#include "app/helpers/oci_referrers.hpp"

#include <string>

namespace chartprov::app {
namespace {

// The body of a 200 answer; nullopt for `absent` statuses.
Result<std::optional<std::string>> body_of(const OciResult& r, const std::string& what,
                                           std::initializer_list<long> absent) {
  if (!r.error.empty()) return input_error(what + ": " + r.error);
  for (const long s : absent) {
    if (r.status == s) return std::optional<std::string>();
  }
  if (r.status != 200) return input_error(what + " answered " + std::to_string(r.status));
  return std::optional<std::string>(std::string(as_chars(r.body)));
}

Result<std::optional<oci::Index>> index_of(const OciResult& r, const std::string& what,
                                           std::initializer_list<long> absent) {
  TRY(const auto text, body_of(r, what, absent));
  if (!text) return std::optional<oci::Index>();
  auto index = oci::parse_index(*text);
  if (!index) return input_error(what + " is not an image index: " + index.error().message);
  return std::optional<oci::Index>(std::move(*index));
}

}  // namespace

Result<ReferrerListings> read_referrer_listings(const OciResult& api, const OciResult& tag, std::string_view tag_name) {
  ReferrerListings out;
  TRY(auto from_api, index_of(api, "the referrers API", {404, 400}));
  TRY(auto from_tag, index_of(tag, "the referrers tag " + std::string(tag_name), {404}));
  out.api = from_api.has_value();
  if (from_api) out.indexes.push_back(std::move(*from_api));
  if (from_tag) out.indexes.push_back(std::move(*from_tag));
  return out;
}

Result<std::optional<std::string>> referrers_tag_text(const OciResult& tag, std::string_view tag_name) {
  return body_of(tag, "the referrers tag " + std::string(tag_name), {404});
}

}  // namespace chartprov::app
