#pragma once
// Plain HTTP for webhooks, alerts and trust root downloads, through the
// chartprov-oci helper (tools/oci/PROTOCOL.md: http-post, http-get): the
// static chartprov never links libcurl. Bodies and answers are bounded; only
// http:// and https:// URLs; messages never show a URL's user:password@ or query.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "chart/archive_reader.hpp"
#include "util/result.hpp"

namespace chartprov::app {

inline constexpr std::size_t kMaxPostBody = 512u << 10;  // the helper's own limit too
inline constexpr std::size_t kMaxGetBody = 16u << 20;

struct HttpPost {
  std::string url;
  std::string content_type = "application/json";
  std::string body;
  int timeout_ms = 5000;
};

struct HttpAnswer {
  long status = 0;   // 0 when no HTTP answer came
  std::string body;  // bounded (a POST's answer: its first 64 KiB)
  std::string media_type;
  std::string error;  // transport failure (refused, timed out, too large, TLS), URL redacted
  bool ok() const { return error.empty() && status >= 200 && status < 300; }
  std::string describe() const;  // "HTTP 500" or the transport error
};

// Every POST in one helper run, in order; one answer each. An Error only when
// the helper cannot run or answers nonsense.
Result<std::vector<HttpAnswer>> http_post_all(const std::vector<HttpPost>& posts);

struct HttpGet {
  std::string url;
  std::size_t max = 1u << 20;  // refused while downloading, past this many bytes
  int timeout_ms = 30000;
  bool https_only = false;
  bool follow_redirects = false;
};

Result<HttpAnswer> http_get(const HttpGet& get);

// GETs written to new files (0600) by the helper, all in one run (one
// connection reused per host); an answer each, without body. For charts and
// repository indexes (verify-repo over https://).
// A chart archive (chart::kMaxChartArchive) or an index, with 1 MiB to spare.
inline constexpr std::size_t kMaxDownload = chart::kMaxChartArchive + (1u << 20);
struct HttpDownload {
  std::string url;
  std::filesystem::path out;  // must not exist
  std::size_t max = kMaxDownload;
  int timeout_ms = 120000;
};
Result<std::vector<HttpAnswer>> http_download_all(const std::vector<HttpDownload>& downloads);

}  // namespace chartprov::app
