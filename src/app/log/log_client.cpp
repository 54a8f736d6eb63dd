#include "app/log/log_client.hpp"

#include "app/helpers/http_client.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"
#include "util/url.hpp"

namespace chartprov::app::log {
namespace {

Error failed(const std::string& url, const HttpAnswer& answer) {
  return input_error("log " + redact_url(url) + ": " + answer.describe());
}

class HttpLogReader final : public LogReader {
 public:
  HttpLogReader(std::string base, int timeout_ms) : base_(std::move(base)), timeout_ms_(timeout_ms) {}

  Result<std::string> checkpoint() override {
    HttpGet get;
    get.url = base_ + "/checkpoint";
    get.max = kMaxCheckpointAnswer;
    get.timeout_ms = timeout_ms_;
    get.https_only = base_.starts_with("https://");
    TRY(HttpAnswer answer, http_get(get));
    if (!answer.error.empty() || answer.status != 200) return failed(get.url, answer);
    return std::move(answer.body);
  }

  Result<std::vector<Bytes>> tiles(const std::vector<tlog::TileId>& tiles) override {
    std::vector<Bytes> out;
    out.reserve(tiles.size());
    for (std::size_t first = 0; first < tiles.size(); first += kTilesPerFetch) {
      const std::size_t count = std::min(kTilesPerFetch, tiles.size() - first);
      TRY(TempDir dir, TempDir::create("chartprov-log-tiles"));
      std::vector<HttpDownload> downloads;
      downloads.reserve(count);
      for (std::size_t i = 0; i < count; ++i) {
        const tlog::TileId& tile = tiles[first + i];
        HttpDownload d;
        d.url = base_ + "/" + tlog::tile_path(tile);
        d.out = dir.path() / std::to_string(i);
        d.max = max_tile_answer(tile);
        d.timeout_ms = timeout_ms_;
        downloads.push_back(std::move(d));
      }
      TRY(const std::vector<HttpAnswer> answers, http_download_all(downloads));
      for (std::size_t i = 0; i < count; ++i) {
        if (!answers[i].error.empty() || answers[i].status != 200) return failed(downloads[i].url, answers[i]);
        auto bytes = read_file(downloads[i].out, downloads[i].max);
        if (!bytes) return bytes.error().with_context("log " + redact_url(downloads[i].url));
        out.push_back(std::move(*bytes));
      }
    }
    return out;
  }

 private:
  std::string base_;
  int timeout_ms_;
};

}  // namespace

std::size_t max_tile_answer(const tlog::TileId& tile) {
  return tile.entries ? tile.width * (2 + tlog::kMaxEntrySize) : tile.width * std::size_t{32};
}

Result<std::string> log_base_url(const std::string& url) {
  auto parsed = parse_http_url(url);
  if (!parsed) return usage_error(parsed.error().message);
  if (url.find_first_of("?#") != std::string::npos) return usage_error("a log URL has no query or fragment");
  std::string base = url;
  while (base.ends_with('/')) base.pop_back();
  return base;
}

Result<std::unique_ptr<LogReader>> open_http_log(const LogEndpoint& endpoint) {
  TRY(std::string base, log_base_url(endpoint.url));
  return std::unique_ptr<LogReader>(std::make_unique<HttpLogReader>(std::move(base), endpoint.timeout_ms));
}

}  // namespace chartprov::app::log
