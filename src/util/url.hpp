#pragma once
// The few facts chartprov needs about an http(s) URL before handing it to the
// transport helper: its scheme, its host (for the loopback-only plain HTTP
// rule) and a printable form without the credentials a webhook URL may carry
// (https://user:secret@host/...). Not a general URL parser: anything unusual
// is refused rather than guessed.
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace chartprov {

inline constexpr std::size_t kMaxUrl = 4096;

struct HttpUrl {
  std::string scheme;  // "http" | "https"
  std::string host;    // lower-case; IPv6 literals without brackets
  bool has_credentials = false;
};

// Only http:// and https:// with a host; no spaces or control characters.
Result<HttpUrl> parse_http_url(std::string_view url);

// The URL with any user:password@ replaced by "***@" and any query by "?***"
// (for messages: a webhook URL may carry a password or a token).
std::string redact_url(std::string_view url);

// 127.0.0.1 (any 127/8), ::1 or localhost.
bool is_loopback_host(std::string_view host);

}  // namespace chartprov
