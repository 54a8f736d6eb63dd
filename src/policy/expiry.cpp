#include "policy/expiry.hpp"

#include <algorithm>

#include "util/rfc3339.hpp"

namespace chartprov::policy {

std::string_view expiry_kind_name(ExpiryKind kind) {
  switch (kind) {
    case ExpiryKind::trust_root: return "trust-root";
    case ExpiryKind::signing_key: return "signing-key";
  }
  return "signing-key";
}

std::vector<Expiry> expiring_within(const std::vector<Expiry>& all, std::int64_t now, std::int64_t window) {
  std::vector<Expiry> out;
  if (window <= 0) return out;
  for (const auto& e : all) {
    if (e.expires_at <= now || e.expires_at - now > window) continue;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const Expiry& o) { return o.subject == e.subject; });
    if (!seen) out.push_back(e);
  }
  return out;
}

std::string expiry_warning(const Expiry& expiry, std::int64_t now) {
  const std::int64_t left = expiry.expires_at - now;
  const std::int64_t days = left / 86400;
  const std::int64_t hours = left / 3600;
  const std::string in = days >= 1    ? std::to_string(days) + (days == 1 ? " day" : " days")
                         : hours >= 1 ? std::to_string(hours) + (hours == 1 ? " hour" : " hours")
                                      : "less than an hour";
  return expiry.subject + " expires at " + format_rfc3339(expiry.expires_at) + ", in " + in;
}

}  // namespace chartprov::policy
