#pragma once
// Expiry warnings (issue 14): trust material that will stop working soon is
// said ahead of time -- the trust root's `expires`, and the end of validity of
// each key that counted -- so that it is renewed before deployments start to
// fail. Pure: the clock and the window are given.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chartprov::policy {

enum class ExpiryKind { trust_root, signing_key };
// "trust-root" | "signing-key": the metrics label.
std::string_view expiry_kind_name(ExpiryKind kind);

struct Expiry {
  ExpiryKind kind = ExpiryKind::signing_key;
  std::string subject;  // "trust root v7", "key 0123456789abcdef (release-team)"
  std::int64_t expires_at = 0;
};

inline constexpr std::int64_t kDefaultExpiryWarningSeconds = 30LL * 86400;
inline constexpr std::int64_t kMaxExpiryWarningSeconds = 3650LL * 86400;

// The entries of `all` that expire after `now` and no more than `window`
// seconds after it, each subject once, in the order given. window <= 0: none
// (warnings off). Material already expired is not warned about: it no longer
// counts, and the decision says so.
std::vector<Expiry> expiring_within(const std::vector<Expiry>& all, std::int64_t now, std::int64_t window);

// "trust root v7 expires at 2026-12-01T00:00:00Z, in 12 days"
std::string expiry_warning(const Expiry& expiry, std::int64_t now);

}  // namespace chartprov::policy
