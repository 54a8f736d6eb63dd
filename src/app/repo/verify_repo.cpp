#include "app/repo/verify_repo.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "app/helpers/http_client.hpp"
#include "app/verify/decide.hpp"
#include "app/verify/oci_verify.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify.hpp"
#include "app/verify/verify_plain.hpp"
#include "chart/archive_reader.hpp"
#include "chart/repo_index.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/json/untrusted_json.hpp"
#include "util/clock.hpp"
#include "util/fd_istream.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"
#include "util/url.hpp"

namespace chartprov::app {
namespace {

constexpr std::uint64_t kMaxIndexSize = 1ull << 30;  // streamed; the limit only stops a runaway file
constexpr std::size_t kMaxFilesWalked = 1000000;

bool exists_file(const std::filesystem::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

// "sha256:<hex>" or "<hex>" as Helm writes it, lower-cased; "" when not SHA-256 hex.
std::string normalized_digest(std::string_view d) {
  if (d.starts_with("sha256:")) d.remove_prefix(7);
  if (d.size() != 64) return "";
  std::string out;
  for (const char c : d) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return "sha256:" + out;
}

void compare_with_index(const RepoChartResult& expected, const std::string& name, const std::string& version,
                        RepoChartResult& r) {
  if (!expected.listed) return;
  if (!expected.index_digest.empty() && !r.digest.empty() && expected.index_digest != r.digest) {
    r.reasons.push_back("index.yaml lists digest " + expected.index_digest + ", the archive's is " + r.digest);
  }
  if (!name.empty() && name != expected.name) {
    r.reasons.push_back("index.yaml lists chart \"" + expected.name + "\", the archive is \"" + name + "\"");
  }
  if (!version.empty() && version != expected.version) {
    r.reasons.push_back("index.yaml lists version \"" + expected.version + "\", the archive has \"" + version + "\"");
  }
}

// The entries of index.yaml as a work list, each with a reason when it cannot
// be verified as listed. Remote: absolute http(s) urls are allowed (helm
// downloads them too); a directory: only paths inside it.
Result<std::vector<RepoChartResult>> listed_charts(const std::filesystem::path& index_file, const std::string& where,
                                                   bool remote) {
  TRY(UniqueFd fd, open_regular_file(index_file));  // never waits on a FIFO
  FdIstream in(std::move(fd));
  auto index = chart::parse_repo_index(in);
  if (in.read_failed()) return input_error("cannot read " + index_file.string());
  if (!index) return index.error().with_context(where);
  std::vector<RepoChartResult> charts;
  std::unordered_set<std::string> listed;
  std::set<std::pair<std::string, std::string>> versions;
  charts.reserve(index->entries.size());
  for (auto& e : index->entries) {
    RepoChartResult c;
    c.name = e.name.empty() ? e.key : e.name;
    c.version = e.version;
    if (e.name != e.key)
      c.reasons.push_back("listed under \"" + e.key + "\" but named \"" + e.name + "\" in index.yaml");
    if (e.version.empty()) c.reasons.emplace_back("index.yaml gives no version");
    if (!versions.insert({c.name, c.version}).second) c.reasons.emplace_back("listed twice in index.yaml");
    if (e.digest.empty()) {
      c.reasons.emplace_back("index.yaml gives no digest");
    } else {
      c.index_digest = normalized_digest(e.digest);
      if (c.index_digest.empty()) c.reasons.push_back("index.yaml's digest \"" + e.digest + "\" is not a SHA-256");
    }
    if (e.urls.empty()) {
      c.reasons.emplace_back("index.yaml gives no url");
      c.file = c.name + "-" + c.version + ".tgz";
    } else if (remote && (e.urls.front().starts_with("https://") || e.urls.front().starts_with("http://"))) {
      c.file = e.urls.front();
      const std::string path = c.file.substr(0, c.file.find_first_of("?#"));
      const std::string base = path.substr(path.rfind('/') + 1);
      if (chart::repo_relative_path(base).empty() || !base.ends_with(".tgz")) {
        c.reasons.push_back("url \"" + c.file + "\" does not name a .tgz file");
      } else if (!listed.insert(c.file).second) {
        c.reasons.push_back("url \"" + c.file + "\" is listed for another entry too");
      }
    } else {
      c.file = chart::repo_relative_path(e.urls.front());
      if (c.file.empty()) {
        c.file = e.urls.front();
        // Stricter than "inside": "./x.tgz" or "x%2e.tgz" could name a file here, but only plain
        // relative names have one meaning for every reader of the index.
        c.reasons.push_back("url \"" + e.urls.front() +
                            "\" is not a file of this repository (only a relative path of plain names is: "
                            "letters, digits, . _ + -, no empty, . or .. part)");
      } else if (!c.file.ends_with(".tgz")) {
        c.reasons.push_back("url \"" + c.file + "\" does not name a .tgz");
      } else if (!listed.insert(c.file).second) {
        c.reasons.push_back("url \"" + c.file + "\" is listed for another entry too");
      }
    }
    charts.push_back(std::move(c));
  }
  return charts;
}

}  // namespace

// What the one report of a plain verification says about a chart, in verify-repo's words: the
// digest, name and version read, the report's reasons, and who signed (the .prov's signing key,
// the key's id, or the first counting envelope's key under a trust root).
void take_plain_report(const PlainVerifyResult& v, RepoChartResult& r, std::string& name, std::string& version) {
  if (v.prov) {
    r.digest = v.prov->digest;
    name = v.prov->chart_name;
    version = v.prov->chart_version;
    r.reasons = v.prov->reasons;
    if (const auto* s = v.prov->signer()) r.signer = s->fingerprint;
  } else if (v.keyed) {
    r.digest = v.keyed->digest;
    name = v.keyed->chart_name;
    version = v.keyed->chart_version;
    r.reasons = v.keyed->reasons;
    r.signer = v.keyed->key_id;
  } else if (v.trusted) {
    r.digest = v.trusted->digest;
    name = v.trusted->chart_name;
    version = v.trusted->chart_version;
    r.reasons = v.trusted->reasons;
    for (const auto& e : v.trusted->envelopes) {
      if (e.counts() && r.signer.empty()) r.signer = e.key_id;
    }
  }
}

const char* outcome_name(ChartOutcome o) {
  switch (o) {
    case ChartOutcome::kVerified: return "verified";
    case ChartOutcome::kFailed: return "failed";
    case ChartOutcome::kUnsigned: return "unsigned";
  }
  return "failed";
}

struct RepoVerifier::Material {
  RepoTrustOptions options;
  TrustMaterial trust;                   // loaded once for every chart
  std::optional<policy::Policy> policy;  // policy mode
  std::int64_t now = 0;
};

RepoVerifier::RepoVerifier(std::unique_ptr<Material> m) : m_(std::move(m)) {}
RepoVerifier::RepoVerifier(RepoVerifier&&) noexcept = default;
RepoVerifier& RepoVerifier::operator=(RepoVerifier&&) noexcept = default;
RepoVerifier::~RepoVerifier() = default;

Result<RepoVerifier> RepoVerifier::load(const RepoTrustOptions& o) {
  const int sources = (o.keyring ? 1 : 0) + (o.key ? 1 : 0) + (o.trust_dir ? 1 : 0);
  if (sources != 1) return usage_error("give exactly one of --keyring, --key and --trust-dir");
  const bool by_policy = !o.environment.empty() || o.policy;
  if (by_policy && o.environment.empty())
    return usage_error("--policy needs --env (the environment whose rules apply)");
  if (by_policy && !o.pinned_signers.empty())
    return usage_error("with --env the policy says whose signatures count: --signer does not apply");
  if (o.key_history && !o.keyring && !by_policy) return usage_error("--key-history needs --keyring (or --env)");
  if (!o.pinned_signers.empty() && !o.keyring) return usage_error("--signer needs --keyring");
  if (o.trusted_root && !o.key) return usage_error("--trusted-root needs --key");
  for (const auto& p : o.pinned_signers) TRY_STATUS(normalize_fingerprint(p));
  auto m = std::make_unique<Material>();
  m->options = o;
  m->now = now_or(o.now);
  TrustSource source;
  source.trust_dir = o.trust_dir;
  source.keyring = o.keyring;
  source.key = o.key;
  source.key_history = o.key_history;
  source.trusted_root = o.trusted_root;
  source.use_keyring_cache = o.use_keyring_cache;
  TRY(m->trust, load_trust_material(source, m->now));
  if (by_policy) {
    TRY(m->policy, load_policy(o.policy));
    TRY_STATUS(policy::check_requested_environment(*m->policy, o.environment));
  }
  return RepoVerifier(std::move(m));
}

RepoChartResult RepoVerifier::verify(const std::filesystem::path& chart, const RepoChartResult& expected) const {
  RepoChartResult r = expected;
  r.reasons.clear();
  r.digest.clear();
  r.outcome = ChartOutcome::kFailed;
  const Material& m = *m_;
  const bool seen = expected.seen.regular_file;
  struct stat st {};
  if (!seen && ::lstat(chart.c_str(), &st) != 0) {
    r.reasons.emplace_back("listed in index.yaml but not in the repository");
    return r;
  }
  if (!seen && !S_ISREG(st.st_mode)) {
    r.reasons.emplace_back(S_ISLNK(st.st_mode) ? "is a symbolic link; refused" : "is not a regular file");
    return r;
  }
  const std::string base = chart.string();
  // A chart the walk saw had its directory listed whole: its envelopes' absence is known too.
  const bool prov = seen ? expected.seen.prov : exists_file(base + ".prov");
  // A keyring reads the .prov only: the other envelopes are not looked for (two lookups less per chart).
  const bool others = !m.trust.keyring && (seen ? expected.seen.sig || expected.seen.bundle
                                                : exists_file(base + ".sig") || exists_file(base + ".sigstore.json"));
  std::string name, version;
  if (!prov && !others) {
    // Unsigned (for this trust material): still the archive must be sound and listed right.
    chart::ArchiveLimits limits;
    limits.allow_plugin = true;
    auto a = chart::read_chart_archive(chart, limits);
    if (!a) {
      r.reasons.push_back("archive: " + a.error().message);
      return r;
    }
    r.digest = "sha256:" + a->sha256_hex;
    name = a->metadata.name;
    version = a->metadata.version;
    compare_with_index(expected, name, version, r);
    if (!expected.listed) {
      r.name = name;
      r.version = version;
      r.reasons.emplace_back("not listed in index.yaml");
    }
    if (r.reasons.empty()) {
      r.outcome = ChartOutcome::kUnsigned;
      r.reasons.emplace_back(m.trust.keyring ? "no .prov beside the chart"
                                             : "no envelope (.prov, .sig, .sigstore.json) beside the chart");
    }
    return r;
  }
  bool verified = false;
  if (m.policy) {
    // The environment's policy decides, on the chart read once, with the material loaded once.
    DecideRequest d;
    d.chart = chart.string();
    d.environment = m.options.environment;
    d.now = m.now;
    auto v = decide(*m.policy, d, m.trust);
    if (!v) {
      r.reasons.push_back(v.error().message);
      return r;
    }
    r.digest = v->evidence.digest;
    name = v->evidence.name;
    version = v->evidence.version;
    r.reasons = v->decision.reasons;
    verified = v->decision.allowed;
    for (const auto& s : v->decision.signers) r.signer += (r.signer.empty() ? "" : ", ") + s;
  } else {
    // Plain verification: the pipeline under the no-environment policy, with the material loaded once.
    PlainVerifyRequest p;
    p.chart = chart;
    p.pinned_signers = m.options.pinned_signers;
    p.now = m.now;
    auto v = verify_plain(p, m.trust);
    if (!v) {
      r.reasons.push_back(v.error().message);
      return r;
    }
    verified = v->verified();
    take_plain_report(*v, r, name, version);
  }
  compare_with_index(expected, name, version, r);
  if (!expected.listed) {
    r.name = name;
    r.version = version;
    r.reasons.emplace_back("not listed in index.yaml");
  }
  r.outcome = verified && r.reasons.empty() ? ChartOutcome::kVerified : ChartOutcome::kFailed;
  if (r.outcome == ChartOutcome::kFailed && r.reasons.empty()) r.reasons.emplace_back("not verified");
  return r;
}

Result<RepoListing> list_repo(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return input_error(dir.string() + " is not a directory");
  RepoListing out;
  out.index = dir / "index.yaml";
  struct stat st {};
  if (::stat(out.index.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return input_error("no index.yaml in " + dir.string() + " (not a Helm repository)");
  }
  if (static_cast<std::uint64_t>(st.st_size) > kMaxIndexSize) return input_error(out.index.string() + " is too large");
  TRY(out.charts, listed_charts(out.index, dir.string(), false));
  std::unordered_map<std::string, RepoChartResult*> listed;
  for (auto& c : out.charts) {
    if (c.reasons.empty()) listed.emplace(c.file, &c);
  }
  // The walk's sightings of listed charts and their envelopes (names as index.yaml gives them).
  // True when `rel` is a listed chart.
  const auto sight = [&listed](const std::string& rel, bool regular_file) {
    for (const std::string_view suffix : {".prov", ".sig", ".sigstore.json"}) {
      if (!rel.ends_with(suffix)) continue;
      const auto it = listed.find(rel.substr(0, rel.size() - suffix.size()));
      if (it == listed.end()) return false;
      auto& seen = it->second->seen;
      (suffix == ".prov" ? seen.prov : suffix == ".sig" ? seen.sig : seen.bundle) = true;
      return false;
    }
    const auto it = listed.find(rel);
    if (it == listed.end()) return false;
    it->second->seen.regular_file = regular_file;
    return true;
  };
  // Archives in the directory that index.yaml does not list: not part of the
  // repository as helm sees it, and not what the signer published.
  std::vector<std::string> extra;
  std::size_t walked = 0;
  std::string base = dir.generic_string();
  if (!base.ends_with('/')) base += '/';
  const std::size_t prefix = base.size();
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (++walked > kMaxFilesWalked) return input_error(dir.string() + " holds more than a million files");
    // The iterator's paths all start with `dir` and a separator: no lexical relative() per file.
    const std::string rel = it->path().generic_string().substr(prefix);
    if (it->is_directory(ec) && !rel.empty() && rel.front() == '.') it.disable_recursion_pending();
    // The entry's type as the listing gave it (d_type; a lookup only where it gives none). A
    // file gone since: not seen, looked up later. A link is not followed.
    std::error_code type_ec;
    if (sight(rel, !it->is_symlink(type_ec) && it->is_regular_file(type_ec)) || !rel.ends_with(".tgz")) continue;
    if (!it->is_regular_file(ec) && !it->is_symlink(ec)) continue;
    extra.push_back(rel);
  }
  if (ec) return input_error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(extra.begin(), extra.end());
  for (auto& f : extra) {
    RepoChartResult c;
    c.file = std::move(f);
    c.listed = false;
    out.charts.push_back(std::move(c));
  }
  return out;
}

std::vector<RepoChartResult> verify_listing(
    const RepoVerifier& verifier, const std::filesystem::path& dir, std::vector<RepoChartResult> charts, unsigned jobs,
    const std::function<void(std::size_t, std::size_t, std::size_t)>& progress) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(charts.size(), 1)));
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::size_t done = 0, failed = 0;
  const auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= charts.size()) return;
      RepoChartResult& c = charts[i];
      if (c.reasons.empty()) {
        c = verifier.verify(dir / c.file, c);
      } else {
        c.outcome = ChartOutcome::kFailed;
      }
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        ++done;
        if (c.outcome == ChartOutcome::kFailed) ++failed;
        progress(done, charts.size(), failed);
      }
    }
  };
  std::vector<std::jthread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  threads.clear();  // joins
  return charts;
}

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

// Whether an envelope's download says it is not there (any 4xx: servers such as object stores
// answer 403 for a missing object). A transport error, a 5xx or an envelope over the cap is not
// absence: the chart fails rather than pass as unsigned.
bool envelope_absent(const HttpAnswer& a) { return a.ok() || (a.error.empty() && a.status >= 400 && a.status < 500); }

}  // namespace

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

  std::size_t done = 0, failed = 0;
  std::mutex progress_mutex;
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
    std::atomic<std::size_t> next{start};
    const auto work = [&] {
      for (;;) {
        const std::size_t i = next.fetch_add(1);
        if (i >= end) return;
        RepoChartResult& c = charts[i];
        if (c.reasons.empty()) {
          const auto it = std::find_if(where.begin(), where.end(), [i](const auto& w) { return w.first == i; });
          const std::string shown = c.file;
          c = verifier.verify(it->second, c);
          for (auto& r : c.reasons) {  // reasons name the url, not our private copy
            for (std::size_t at; (at = r.find(it->second.string())) != std::string::npos;)
              r.replace(at, it->second.string().size(), shown);
          }
        } else {
          c.outcome = ChartOutcome::kFailed;
        }
        if (req.progress) {
          const std::lock_guard lock(progress_mutex);
          ++done;
          if (c.outcome == ChartOutcome::kFailed) ++failed;
          req.progress(done, charts.size(), failed);
        }
      }
    };
    unsigned jobs = req.jobs != 0 ? req.jobs : std::max(1u, std::thread::hardware_concurrency());
    {
      std::vector<std::jthread> threads;
      for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
      work();
    }
    std::error_code ec;
    std::filesystem::remove_all(batch, ec);
  }
  return charts;
}

OciConnection copy_connection(const OciConnection& c) {
  OciConnection out;
  out.registry = c.registry;
  out.plain_http = c.plain_http;
  out.username = c.username;
  if (c.password) out.password.emplace(c.password->str());
  return out;
}

// One tag of an OCI repository, as verify oci:// (or verify --env) judges it.
RepoChartResult verify_oci_tag(const RepoTrustOptions& o, const policy::Policy* pol, const TrustMaterial* material,
                               const VerifyRepoRequest& req, const oci::Reference& ref) {
  RepoChartResult r;
  r.file = ref.display();
  r.version = ref.tag;
  if (pol != nullptr) {
    DecideRequest d;
    d.chart = ref.display();
    d.environment = o.environment;
    d.connection = copy_connection(req.connection);
    d.now = o.now;
    auto v = decide(*pol, d, *material);
    if (!v) {
      r.reasons.push_back(v.error().message);
      return r;
    }
    r.name = v->evidence.name;
    r.version = v->evidence.version.empty() ? ref.tag : v->evidence.version;
    r.digest = v->evidence.digest;
    r.reasons = v->decision.reasons;
    for (const auto& s : v->decision.signers) r.signer += (r.signer.empty() ? "" : ", ") + s;
    r.outcome = v->decision.allowed ? ChartOutcome::kVerified : ChartOutcome::kFailed;
    if (v->decision.allowed) r.reasons.clear();
    return r;
  }
  OciVerifyRequest v;
  v.reference = ref;
  v.connection = copy_connection(req.connection);
  v.material = material;
  v.pinned_signers = o.pinned_signers;
  v.now = o.now;
  auto plain = verify_plain_oci(std::move(v));
  if (!plain) {
    r.reasons.push_back(plain.error().message);
    return r;
  }
  const OciVerifyReport* got = &plain->report;
  r.name = got->chart_name;
  if (!got->chart_version.empty()) r.version = got->chart_version;
  r.digest = got->chart_digest;
  r.reasons = got->reasons;
  if (got->prov && got->prov->signer() != nullptr) r.signer = got->prov->signer()->fingerprint;
  if (o.key && got->cosign_signatures > 0) r.signer = got->key_id;
  r.outcome = got->verified ? ChartOutcome::kVerified : ChartOutcome::kFailed;
  // Nothing signed it at all (no .prov layer; no cosign signature): unsigned, not tampered.
  const bool only_reason = r.reasons.size() == 1;
  if (only_reason && ((o.keyring && r.reasons[0].find("without a .prov layer") != std::string::npos) ||
                      (o.key && r.reasons[0].starts_with("no cosign signature found")))) {
    r.outcome = ChartOutcome::kUnsigned;
  }
  return r;
}

Result<std::vector<RepoChartResult>> verify_oci_repository(const VerifyRepoRequest& req) {
  const RepoTrustOptions& o = req.trust;
  const oci::Reference& base = *req.oci_repository;
  if (!base.tag.empty() || !base.digest.empty())
    return usage_error("give the repository without a tag: " + base.display());
  std::optional<policy::Policy> pol;
  if (!o.environment.empty()) {
    TRY(pol, load_policy(o.policy));
    TRY_STATUS(policy::check_requested_environment(*pol, o.environment));
  } else if (o.trust_dir) {
    // Each tag: one signature by a listed key, as verify --trust-dir asks.
    pol = policy::no_environment_policy(policy::PlainTrust::trust_root);
  }
  // Loaded once for every tag.
  TrustSource source;
  source.trust_dir = o.trust_dir;
  source.keyring = o.keyring;
  source.key = o.key;
  source.key_history = o.key_history;
  source.trusted_root = o.trusted_root;
  source.use_keyring_cache = o.use_keyring_cache;
  TRY(const TrustMaterial material, load_trust_material(source, o.now));
  std::vector<std::string> tags;
  {
    TRY(OciSession session, OciSession::open(copy_connection(req.connection)));
    TRY(const auto answers, session.run(nlohmann::json::array({{{"op", "list-tags"}, {"repo", base.repository}}})));
    const OciResult& a = answers.at(0);
    if (!a.error.empty()) return input_error(base.display() + ": " + a.error);
    if (a.status != 200)
      return input_error(base.display() + ": the registry answered " + std::to_string(a.status) + " to the tag list");
    const auto j = parse_untrusted_json(a.body);
    if (!j.is_object() || !j.contains("tags") || !j["tags"].is_array())
      return input_error(base.display() + ": unreadable tag list");
    for (const auto& t : j["tags"]) {
      const std::string tag = t.get<std::string>();
      if (tag.starts_with("sha256-")) continue;  // cosign signatures and referrer fallbacks, not charts
      tags.push_back(tag);
    }
  }
  std::sort(tags.begin(), tags.end());
  std::vector<RepoChartResult> charts(tags.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::size_t done = 0, failed = 0;
  const auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= tags.size()) return;
      oci::Reference ref = base;
      ref.tag = tags[i];
      charts[i] = verify_oci_tag(o, pol ? &*pol : nullptr, &material, req, ref);
      if (req.progress) {
        const std::lock_guard lock(progress_mutex);
        ++done;
        if (charts[i].outcome == ChartOutcome::kFailed) ++failed;
        req.progress(done, tags.size(), failed);
      }
    }
  };
  const unsigned jobs = req.jobs != 0 ? req.jobs : std::max(1u, std::thread::hardware_concurrency());
  {
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
    work();
  }
  return charts;
}

}  // namespace

Result<VerifyRepoReport> verify_repo(const VerifyRepoRequest& req) {
  if (req.oci_repository) {
    TRY(const RepoVerifier checked, RepoVerifier::load(req.trust));  // usage and trust material errors first
    (void)checked;
    VerifyRepoReport report;
    report.index = req.oci_repository->display();
    TRY(report.charts, verify_oci_repository(req));
    for (const auto& c : report.charts) {
      switch (c.outcome) {
        case ChartOutcome::kVerified: ++report.verified; break;
        case ChartOutcome::kFailed: ++report.failed; break;
        case ChartOutcome::kUnsigned: ++report.unsigned_charts; break;
      }
    }
    return report;
  }
  TRY(const RepoVerifier verifier, RepoVerifier::load(req.trust));
  VerifyRepoReport report;
  if (!req.url.empty()) {
    TRY(report.charts, verify_remote(verifier, req, report.index));
  } else {
    TRY(RepoListing listing, list_repo(req.dir));
    report.index = listing.index;
    report.charts = verify_listing(verifier, req.dir, std::move(listing.charts), req.jobs, req.progress);
  }
  for (const auto& c : report.charts) {
    switch (c.outcome) {
      case ChartOutcome::kVerified: ++report.verified; break;
      case ChartOutcome::kFailed: ++report.failed; break;
      case ChartOutcome::kUnsigned: ++report.unsigned_charts; break;
    }
  }
  return report;
}

}  // namespace chartprov::app
