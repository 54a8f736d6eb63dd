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
  if (parsed && parsed->has_credentials) {
    // Everything up to the last '@' of the authority is replaced: the shown
    // form is the scheme, "***@", then text that holds no '@' at all.
    const std::string prefix = std::string(text.substr(0, text.find("://") + 3)) + "***@";
    if (!shown.starts_with(prefix) || shown.find('@', prefix.size()) != std::string::npos) __builtin_trap();
    (void)chartprov::is_loopback_host(parsed->host);
  }
  return 0;
}
