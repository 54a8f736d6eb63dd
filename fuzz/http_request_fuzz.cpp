// libFuzzer target for serve's HTTP/1.1 request parser. Invariants: it never
// crashes or reads out of bounds; a complete request used at most the input,
// respects every limit, and parses the same from exactly the bytes it used
// (what follows a request cannot change it); an error carries a 4xx/5xx
// status and a reason; an incomplete input is within the limits so far.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_check.hpp"
#include "server/http_request.hpp"

using chartprov::fuzz::check;

using namespace chartprov::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  HttpLimits limits;  // small, so that mutations reach every limit
  limits.max_request_line = 256;
  limits.max_header_line = 256;
  limits.max_headers = 8;
  limits.max_header_bytes = 1024;
  limits.max_body = 512;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const ParseResult r = parse_http_request(in, limits);
  switch (r.status) {
    case ParseStatus::complete: {
      check(r.consumed > 0 && r.consumed <= size);
      const auto& q = r.request;
      check(!q.method.empty() && q.method.size() <= 32);
      check(!q.target.empty() && q.target.front() == '/' && q.target.size() <= limits.max_request_line);
      check(q.minor_version == 0 || q.minor_version == 1);
      check(q.headers.size() <= limits.max_headers);
      check(q.body.size() <= limits.max_body);
      for (const auto& [name, value] : q.headers) {
        check(!name.empty());
        for (const char c : name) check(!(c >= 'A' && c <= 'Z'));
        check(value.find('\r') == std::string::npos && value.find('\n') == std::string::npos);
      }
      check(q.header("transfer-encoding") == nullptr);
      const ParseResult again = parse_http_request(in.substr(0, r.consumed), limits);
      check(again.status == ParseStatus::complete && again.consumed == r.consumed);
      check(again.request.body == q.body && again.request.target == q.target && again.request.headers == q.headers);
      break;
    }
    case ParseStatus::error: check(r.http_status >= 400 && r.http_status <= 505 && !r.error.empty()); break;
    case ParseStatus::incomplete: check(r.consumed == 0); break;
  }
  return 0;
}
