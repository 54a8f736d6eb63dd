#include "util/url.hpp"

#include <algorithm>
#include <cctype>

namespace chartprov {

Result<HttpUrl> parse_http_url(std::string_view url) {
  if (url.size() > kMaxUrl) return usage_error("a URL longer than 4096 characters");
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return usage_error("a URL with a space or control character");
  }
  HttpUrl out;
  std::string_view rest;
  if (url.starts_with("https://")) {
    out.scheme = "https";
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    out.scheme = "http";
    rest = url.substr(7);
  } else {
    return usage_error(redact_url(url) + ": only http:// and https:// URLs");
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    out.has_credentials = true;
    authority = authority.substr(at + 1);
  }
  std::string_view host;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return usage_error(redact_url(url) + ": an unclosed IPv6 address");
    host = authority.substr(1, close - 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return usage_error(redact_url(url) + ": text after the IPv6 address");
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  if (host.empty()) return usage_error(redact_url(url) + ": no host");
  out.host.assign(host);
  std::transform(out.host.begin(), out.host.end(), out.host.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  // A query may carry a token: never shown. A password may hold a '/', so the
  // credentials end at the last '@' before the query, wherever the path starts.
  const auto query = url.find_first_of("?#", start);
  const std::string_view before_query = url.substr(0, query);
  std::string out(url.substr(0, start));
  const auto at = before_query.rfind('@');
  out += at != std::string_view::npos && at >= start ? "***@" + std::string(before_query.substr(at + 1))
                                                     : std::string(before_query.substr(start));
  if (query != std::string_view::npos) out += "?***";
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

}  // namespace chartprov
