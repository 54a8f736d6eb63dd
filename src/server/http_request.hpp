#pragma once
// A strict HTTP/1.1 request parser (RFC 9112) for `chartprov serve`: the
// request line, header fields and a Content-Length body, nothing else.
// Transfer-Encoding (chunked uploads) is refused (501); a POST without a
// length is 411. Every size is bounded. It returns a value and never throws:
// a request is complete, needs more bytes, or is an error with the status to
// answer before closing the connection.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chartprov::server {

struct HttpLimits {
  std::size_t max_request_line = 4096;   // method SP target SP version
  std::size_t max_header_line = 4096;    // one field line
  std::size_t max_headers = 48;          // field lines
  std::size_t max_header_bytes = 16384;  // request line + every field line
  std::size_t max_body = 65536;          // Content-Length
};

struct HttpRequest {
  std::string method;                                        // "GET", "POST", ... (case-sensitive, as sent)
  std::string target;                                        // origin-form: "/path?query"
  int minor_version = 1;                                     // HTTP/1.<minor>: 0 or 1
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::string body;
  bool keep_alive = true;        // from the version and Connection
  bool expect_continue = false;  // "Expect: 100-continue"

  // The value of the (single) field `lower_name`, or nullptr.
  const std::string* header(std::string_view lower_name) const;
  // The path of the target, without the query.
  std::string_view path() const;
};

enum class ParseStatus { complete, incomplete, error };

struct ParseResult {
  ParseStatus status = ParseStatus::incomplete;
  HttpRequest request;            // complete; also filled as far as parsed when the headers are complete
  std::size_t consumed = 0;       // complete: bytes of the buffer this request used
  bool headers_complete = false;  // incomplete: the body is still arriving
  int http_status = 0;            // error: 400, 411, 413, 414, 417, 431, 501 or 505
  std::string error;              // error: why, for the response body
};

// Parses the request at the start of `buffer` (a connection's bytes so far).
ParseResult parse_http_request(std::string_view buffer, const HttpLimits& limits = {});

}  // namespace chartprov::server
