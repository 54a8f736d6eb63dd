#include "app/admission/store_source.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>
#include <utility>

#include "app/helpers/http_client.hpp"
#include "app/repo/mirror.hpp"
#include "infra/openssl/digest.hpp"
#include "util/file.hpp"
#include "util/url.hpp"

namespace chartprov::app {

Result<StoreSource> parse_store_source(std::string_view text) {
  if (text.empty()) return usage_error("--chart-source is empty");
  StoreSource source;
  source.text = std::string(text);
  if (text.starts_with("https://") || text.starts_with("http://")) {
    source.url = source.text;
    return source;
  }
  if (text.starts_with("oci://")) {
    std::string_view rest = text.substr(6);
    while (rest.ends_with('/')) rest.remove_suffix(1);
    const auto slash = rest.find('/');
    const bool bytes_ok = std::all_of(rest.begin(), rest.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '/' || c == ':' ||
             c == '-';
    });
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size() || !bytes_ok ||
        rest.substr(slash).find(':') != std::string_view::npos || rest.find("//") != std::string_view::npos) {
      return usage_error("--chart-source " + source.text +
                         ": expected oci://HOST[:PORT]/PATH, the path charts are pushed under (no tag, no digest)");
    }
    source.registry = std::string(rest.substr(0, slash));
    source.oci_path = "oci://" + std::string(rest);
    return source;
  }
  source.directory = std::filesystem::path(source.text);
  std::error_code ec;
  if (!std::filesystem::is_directory(source.directory, ec)) {
    return usage_error("--chart-source " + source.text + " is not a directory");
  }
  return source;
}

Result<std::string> oci_chart_reference(const StoreSource& source, std::string_view name) {
  const bool ok = !name.empty() && name.size() <= 128 &&
                  (std::islower(static_cast<unsigned char>(name[0])) != 0 ||
                   std::isdigit(static_cast<unsigned char>(name[0])) != 0) &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::islower(static_cast<unsigned char>(c)) != 0 ||
                           std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
                  });
  if (!ok) return input_error("chart name \"" + std::string(name) + "\" cannot name a chart in a registry");
  return source.oci_path + "/" + std::string(name);
}

Result<std::string> oci_chart_tag(std::string_view version) {
  const bool ok =
      !version.empty() && version.size() <= 128 && std::isalnum(static_cast<unsigned char>(version[0])) != 0 &&
      std::all_of(version.begin(), version.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '+' || c == '-';
      });
  if (!ok) return input_error("chart version \"" + std::string(version) + "\" cannot be a registry tag");
  std::string tag(version);
  std::replace(tag.begin(), tag.end(), '+', '_');
  return tag;
}

Result<std::optional<std::filesystem::path>> fetch_repository_chart(const StoreSource& source, std::string_view name,
                                                                    std::string_view version,
                                                                    const std::filesystem::path& into) {
  TRY(const RemoteListing listing, list_remote_repo(source.url, into));
  const auto entry = std::find_if(listing.charts.begin(), listing.charts.end(), [&](const RepoChartResult& c) {
    return c.listed && c.name == name && c.version == version;
  });
  if (entry == listing.charts.end()) return std::optional<std::filesystem::path>();
  if (!entry->reasons.empty()) return input_error(source.url + ": " + entry->reasons.front());
  const std::string file = remote_file_name(*entry);
  if (file.empty() || file == "." || file == ".." || file == "index.yaml") {
    return input_error(source.url + ": chart " + std::string(name) + " " + std::string(version) +
                       " has no file name in its url");
  }
  const std::filesystem::path local = into / file;
  const auto downloads = chart_downloads(listing.base, *entry, local);
  TRY(const auto answers, http_download_all(downloads));
  if (!answers.front().ok()) return input_error(redact_url(downloads.front().url) + ": " + answers.front().describe());
  for (std::size_t i = 1; i < answers.size(); ++i) {
    if (!envelope_absent(answers[i])) return input_error(redact_url(downloads[i].url) + ": " + answers[i].describe());
  }
  if (!entry->index_digest.empty()) {
    TRY(const Bytes bytes, read_file(local, kMaxDownload));
    if (crypto::sha256_digest(bytes) != entry->index_digest) {
      return input_error(redact_url(downloads.front().url) + ": the chart is not the digest index.yaml lists");
    }
  }
  return std::optional<std::filesystem::path>(local);
}

Result<MaterializedSources> materialize_sources(const std::vector<StoreSource>& sources, const TrustSource& trust,
                                                const std::filesystem::path& work) {
  MaterializedSources out;
  for (const auto& source : sources) {
    if (source.oci()) continue;  // pulled chart by chart, on a miss
    if (!source.remote()) {
      out.directories.push_back(source.directory);
      continue;
    }
    TRY(TempDir dir, TempDir::create("chartprov-source", work));
    MirrorRequest request;
    request.source_url = source.url;
    request.dest = dir.path() / "charts";
    request.quarantine = dir.path() / "quarantine";
    request.trust = repo_trust_options(trust);
    const auto mirrored = mirror_repo(request);
    if (!mirrored) return mirrored.error().with_context("chart source " + source.url);
    out.directories.push_back(request.dest);
    out.mirrors.push_back(std::move(dir));
  }
  return out;
}

}  // namespace chartprov::app
