#include "server/http_request.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace chartprov::server {

namespace {

constexpr std::size_t kMaxMethod = 32;
constexpr std::size_t kMaxLeadingEmptyLines = 4;  // RFC 9112 2.2: ignore a few CRLFs before a request

bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

// field-value characters: VCHAR, SP, HTAB, obs-text; never CR, LF, NUL or other controls.
bool is_field_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Does the comma-separated list `value` hold `token` (case-insensitive)?
bool list_has(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

ParseResult fail(int status, std::string why) {
  ParseResult r;
  r.status = ParseStatus::error;
  r.http_status = status;
  r.error = std::move(why);
  return r;
}

ParseResult need_more() { return ParseResult{}; }

// The line that starts at `pos`: its end (the CR of CRLF), or npos when the
// CRLF has not arrived yet. A CR or LF that is not part of a CRLF is `bad`.
std::size_t line_end(std::string_view buf, std::size_t pos, bool& bad) {
  for (std::size_t i = pos; i < buf.size(); ++i) {
    if (buf[i] == '\n') {
      bad = true;  // bare LF
      return i;
    }
    if (buf[i] == '\r') {
      if (i + 1 == buf.size()) return std::string_view::npos;
      if (buf[i + 1] != '\n') bad = true;  // bare CR
      return i;
    }
  }
  return std::string_view::npos;
}

ParseResult parse_request_line(std::string_view line, HttpRequest& req) {
  const auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return fail(400, "malformed request line");
  const auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(400, "malformed request line");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || method.size() > kMaxMethod) return fail(400, "malformed method");
  if (target.empty() || target.front() != '/') return fail(400, "the request target must be a path (origin-form)");
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '#') return fail(400, "invalid character in the request target");
  }
  if (version == "HTTP/1.1") {
    req.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    req.minor_version = 0;
  } else if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.' &&
             std::isdigit(static_cast<unsigned char>(version[5])) &&
             std::isdigit(static_cast<unsigned char>(version[7]))) {
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
  } else {
    return fail(400, "malformed HTTP version");
  }
  req.method = std::string(method);
  req.target = std::string(target);
  ParseResult ok;
  ok.status = ParseStatus::complete;
  return ok;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return &v;
  }
  return nullptr;
}

std::string_view HttpRequest::path() const {
  const std::string_view t = target;
  return t.substr(0, t.find('?'));
}

ParseResult parse_http_request(std::string_view buf, const HttpLimits& limits) {
  std::size_t pos = 0;
  for (std::size_t n = 0; buf.substr(pos).starts_with("\r\n"); ++n) {
    if (n == kMaxLeadingEmptyLines) return fail(400, "too many empty lines before the request");
    pos += 2;
  }
  const std::size_t start = pos;
  HttpRequest req;

  // Request line.
  bool bad = false;
  std::size_t end = line_end(buf, pos, bad);
  if (end == std::string_view::npos) {
    if (buf.size() - pos > limits.max_request_line) return fail(414, "request line too long");
    return need_more();
  }
  if (bad) return fail(400, "lines must end with CRLF");
  if (end - pos > limits.max_request_line) return fail(414, "request line too long");
  if (auto r = parse_request_line(buf.substr(pos, end - pos), req); r.status == ParseStatus::error) return r;
  pos = end + 2;

  // Header fields, up to the empty line.
  std::size_t content_length_fields = 0, host_fields = 0;
  while (true) {
    end = line_end(buf, pos, bad);
    if (end == std::string_view::npos) {
      if (buf.size() - pos > limits.max_header_line) return fail(431, "header field too long");
      if (buf.size() - start > limits.max_header_bytes) return fail(431, "header section too large");
      return need_more();
    }
    if (bad) return fail(400, "lines must end with CRLF");
    if (end - pos > limits.max_header_line) return fail(431, "header field too long");
    if (end + 2 - start > limits.max_header_bytes) return fail(431, "header section too large");
    const std::string_view line = buf.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return fail(400, "obsolete line folding is not accepted");
    if (req.headers.size() == limits.max_headers) return fail(431, "too many header fields");
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return fail(400, "header field without a colon");
    const std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return fail(400, "malformed header field name");  // also: whitespace before the colon
    const std::string_view value = trim_ows(line.substr(colon + 1));
    for (const char c : value) {
      if (!is_field_char(static_cast<unsigned char>(c))) return fail(400, "invalid character in a header field value");
    }
    std::string lname = to_lower(name);
    if (lname == "content-length") ++content_length_fields;
    if (lname == "host") ++host_fields;
    req.headers.emplace_back(std::move(lname), std::string(value));
  }

  // What the fields mean for framing.
  if (req.header("transfer-encoding") != nullptr) {
    return fail(501, "Transfer-Encoding is not supported; send a Content-Length");
  }
  if (req.minor_version == 1 && host_fields != 1) return fail(400, "an HTTP/1.1 request needs exactly one Host field");
  if (host_fields > 1) return fail(400, "more than one Host field");
  std::uint64_t length = 0;
  if (content_length_fields > 1) return fail(400, "more than one Content-Length field");
  if (content_length_fields == 1) {
    const std::string& v = *req.header("content-length");
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(400, "malformed Content-Length");
    }
    for (const char c : v) length = length * 10 + static_cast<std::uint64_t>(c - '0');  // <= 18 digits: no overflow
    if (length > limits.max_body) return fail(413, "request body too large");
  } else if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    return fail(411, "a Content-Length is required");
  }
  if (const auto* expect = req.header("expect")) {
    if (!iequals(*expect, "100-continue")) return fail(417, "unsupported Expect");
    req.expect_continue = true;
  }
  const std::string* connection = req.header("connection");
  const bool close = connection != nullptr && list_has(*connection, "close");
  const bool keep = connection != nullptr && list_has(*connection, "keep-alive");
  req.keep_alive = !close && (req.minor_version == 1 || keep);

  // The body.
  if (buf.size() - pos < length) {
    ParseResult more;
    more.headers_complete = true;
    more.request = std::move(req);
    return more;
  }
  req.body = std::string(buf.substr(pos, static_cast<std::size_t>(length)));
  ParseResult done;
  done.status = ParseStatus::complete;
  done.consumed = pos + static_cast<std::size_t>(length);
  done.request = std::move(req);
  return done;
}

}  // namespace chartprov::server
