#include <algorithm>

#include "app/helpers/http_client.hpp"
#include "app/repo/repo_sources.hpp"
#include "app/repo/verify_repo.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "util/temp_dir.hpp"
#include "util/url.hpp"

namespace chartprov::app {

Result<RemoteListing> list_remote_repo(const std::string& url, const std::filesystem::path& dir) {
  RemoteListing out;
  out.base = url;
  if (out.base.ends_with("/index.yaml")) out.base.resize(out.base.size() - std::string_view("/index.yaml").size());
  while (out.base.ends_with("/")) out.base.pop_back();
  TRY_STATUS(parse_http_url(out.base + "/index.yaml"));
  const std::filesystem::path index_file = dir / "index.yaml";
  TRY(auto got, http_download_all({HttpDownload{out.base + "/index.yaml", index_file, kMaxDownload, 120000}}));
  if (!got.front().ok()) return input_error(redact_url(out.base + "/index.yaml") + ": " + got.front().describe());
  TRY(out.charts, listed_charts(index_file, redact_url(out.base), true));
  return out;
}

std::string remote_file_name(const RepoChartResult& c) {
  const std::string path = c.file.substr(0, c.file.find_first_of("?#"));
  return path.substr(path.rfind('/') + 1);
}

namespace {

// The chart's own file, then the envelopes looked for beside it, in the order of its downloads.
constexpr const char* kEnvelopeSuffixes[] = {"", ".prov", ".sig", ".sigstore.json"};
constexpr std::size_t kDownloadsPerChart = std::size(kEnvelopeSuffixes);

// An envelope beside a remote chart is downloaded up to the largest cap of the readers that judge
// it (.prov, cosign .sig, Sigstore bundle): a larger one is refused by the download, anything
// below is refused, if at all, by its reader with the reader's own words, as for a local chart.
constexpr std::size_t kMaxEnvelopeDownload =
    std::max({static_cast<std::size_t>(envelope::prov::kMaxProvFile), cosign::kMaxSignatureFile, sigstore::kMaxBundle});

}  // namespace

bool envelope_absent(const HttpAnswer& a) { return a.ok() || (a.error.empty() && a.status >= 400 && a.status < 500); }

std::vector<HttpDownload> chart_downloads(const std::string& base, const RepoChartResult& c,
                                          const std::filesystem::path& local) {
  const bool absolute = c.file.starts_with("https://") || c.file.starts_with("http://");
  const std::string url = absolute ? c.file : base + "/" + c.file;
  const std::string path = url.substr(0, url.find_first_of("?#"));
  std::vector<HttpDownload> out;
  for (const std::string suffix : kEnvelopeSuffixes) {
    // The envelopes sit beside the chart's url, as helm looks for the .prov.
    const std::string u = suffix.empty() ? url : path + suffix + url.substr(path.size());
    out.push_back({u, local.string() + suffix, suffix.empty() ? kMaxDownload : kMaxEnvelopeDownload, 120000});
  }
  return out;
}

namespace {

constexpr std::size_t kDownloadBatch = 32;  // charts per helper run: bounds the disk used at once

}  // namespace

// A remote repository: index.yaml, then batches of charts downloaded into a
// private directory (each chart in its own subdirectory under its own file
// name, envelopes beside it), verified there and removed.
Result<std::vector<RepoChartResult>> verify_remote(const RepoVerifier& verifier, const VerifyRepoRequest& req,
                                                   std::filesystem::path& index_url) {
  TRY(const TempDir tmp, TempDir::create("chartprov-repo"));
  TRY(RemoteListing listing, list_remote_repo(req.url, tmp.path()));
  index_url = listing.base + "/index.yaml";
  const std::string& base = listing.base;
  std::vector<RepoChartResult>& charts = listing.charts;

  ProgressTally tally;
  for (std::size_t start = 0; start < charts.size(); start += kDownloadBatch) {
    const std::size_t end = std::min(charts.size(), start + kDownloadBatch);
    const std::filesystem::path batch = tmp.path() / ("batch-" + std::to_string(start));
    std::filesystem::create_directory(batch);
    std::vector<HttpDownload> downloads;
    std::vector<std::pair<std::size_t, std::filesystem::path>> where;  // chart index, local file
    for (std::size_t i = start; i < end; ++i) {
      const auto& c = charts[i];
      if (!c.reasons.empty()) continue;
      const std::filesystem::path dir = batch / std::to_string(i);
      std::filesystem::create_directory(dir);
      const std::filesystem::path local = dir / remote_file_name(c);
      where.emplace_back(i, local);
      for (auto& d : chart_downloads(base, c, local)) downloads.push_back(std::move(d));
    }
    TRY(const auto answers, http_download_all(downloads));
    for (std::size_t k = 0; k < where.size(); ++k) {
      const auto& chart_answer = answers[kDownloadsPerChart * k];
      if (!chart_answer.ok()) {
        charts[where[k].first].reasons.push_back("listed in index.yaml but cannot be downloaded: " +
                                                 chart_answer.describe());
      }
      for (std::size_t e = 1; e < kDownloadsPerChart; ++e) {
        if (envelope_absent(answers[kDownloadsPerChart * k + e])) continue;
        charts[where[k].first].reasons.push_back(
            std::string(kEnvelopeSuffixes[e]) +
            " beside the chart cannot be downloaded: " + answers[kDownloadsPerChart * k + e].describe());
      }
    }
    verify_in_parallel(charts, start, end, req.jobs, req.progress, tally, [&](std::size_t i) {
      const RepoChartResult& listed = charts[i];
      if (!listed.reasons.empty()) {  // failed without being read
        RepoChartResult failed = listed;
        failed.outcome = ChartOutcome::kFailed;
        return failed;
      }
      const auto it = std::find_if(where.begin(), where.end(), [i](const auto& w) { return w.first == i; });
      RepoChartResult c = verifier.verify(it->second, listed);
      for (auto& r : c.reasons) {  // reasons name the url, not our private copy
        for (std::size_t at; (at = r.find(it->second.string())) != std::string::npos;)
          r.replace(at, it->second.string().size(), listed.file);
      }
      return c;
    });
    std::error_code ec;
    std::filesystem::remove_all(batch, ec);
  }
  return charts;
}

}  // namespace chartprov::app
