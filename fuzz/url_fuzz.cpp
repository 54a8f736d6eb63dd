// The http(s) URL checks (util/url.hpp): never crash, and a URL's credentials
// never survive redaction.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = chartprov::parse_http_url(text);
  const std::string shown = chartprov::redact_url(text);
  if (parsed && parsed->has_credentials && shown.find('@') != std::string::npos) {
    // The user:password part (between "://" and the last '@' of the authority) is gone.
    const auto start = text.find("://") + 3;
    const auto at = text.substr(0, text.find_first_of("?#", start)).rfind('@');
    const std::string secret = std::string(text.substr(start, at - start)) + "@";
    if (secret != "***@" && shown.find(secret) != std::string::npos) __builtin_trap();
    (void)chartprov::is_loopback_host(parsed->host);
  }
  return 0;
}
