// verify-repo of a repository directory, and verify_repo(), which hands an http(s) repository
// to verify_repo_remote.cpp and an OCI one to verify_repo_oci.cpp. A little over 400 lines, as
// what stays here belongs together: index.yaml's reader, the RepoVerifier every kind of
// repository uses, and the directory's walk that feeds it.
#include "app/repo/verify_repo.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "app/repo/repo_sources.hpp"
#include "app/verify/decide.hpp"
#include "app/verify/trust_material.hpp"
#include "app/verify/verify.hpp"
#include "app/verify/verify_plain.hpp"
#include "chart/archive_reader.hpp"
#include "chart/repo_index.hpp"
#include "util/clock.hpp"
#include "util/fd_istream.hpp"
#include "util/file.hpp"

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

}  // namespace

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

TrustSource trust_source_of(const RepoTrustOptions& o) {
  TrustSource source;
  source.trust_dir = o.trust_dir;
  source.keyring = o.keyring;
  source.key = o.key;
  source.key_history = o.key_history;
  source.trusted_root = o.trusted_root;
  source.use_keyring_cache = o.use_keyring_cache;
  return source;
}

RepoTrustOptions repo_trust_options(const TrustSource& trust) {
  RepoTrustOptions o;
  o.trust_dir = trust.trust_dir;
  o.keyring = trust.keyring;
  o.key = trust.key;
  o.key_history = trust.key_history;
  o.trusted_root = trust.trusted_root;
  o.use_keyring_cache = trust.use_keyring_cache;
  return o;
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

const TrustMaterial& RepoVerifier::material() const { return m_->trust; }
const policy::Policy* RepoVerifier::policy() const { return m_->policy ? &*m_->policy : nullptr; }

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
  TRY(m->trust, load_trust_material(trust_source_of(o), m->now));
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

void verify_in_parallel(std::vector<RepoChartResult>& charts, std::size_t begin, std::size_t end, unsigned jobs,
                        const std::function<void(std::size_t, std::size_t, std::size_t)>& progress,
                        ProgressTally& tally, const std::function<RepoChartResult(std::size_t)>& verify_one) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(end - begin, 1)));
  std::atomic<std::size_t> next{begin};
  const auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= end) return;
      charts[i] = verify_one(i);
      if (progress) {
        const std::lock_guard lock(tally.mutex);
        ++tally.done;
        if (charts[i].outcome == ChartOutcome::kFailed) ++tally.failed;
        progress(tally.done, charts.size(), tally.failed);
      }
    }
  };
  std::vector<std::jthread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
}

std::vector<RepoChartResult> verify_listing(
    const RepoVerifier& verifier, const std::filesystem::path& dir, std::vector<RepoChartResult> charts, unsigned jobs,
    const std::function<void(std::size_t, std::size_t, std::size_t)>& progress) {
  ProgressTally tally;
  verify_in_parallel(charts, 0, charts.size(), jobs, progress, tally, [&](std::size_t i) {
    const RepoChartResult& c = charts[i];
    if (!c.reasons.empty()) {  // failed without being read
      RepoChartResult failed = c;
      failed.outcome = ChartOutcome::kFailed;
      return failed;
    }
    return verifier.verify(dir / c.file, c);
  });
  return charts;
}

Result<VerifyRepoReport> verify_repo(const VerifyRepoRequest& req) {
  TRY(const RepoVerifier verifier, RepoVerifier::load(req.trust));  // usage and trust material errors first
  VerifyRepoReport report;
  if (req.oci_repository) {
    report.index = req.oci_repository->display();
    TRY(report.charts, verify_oci_repository(verifier, req));
  } else if (!req.url.empty()) {
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
