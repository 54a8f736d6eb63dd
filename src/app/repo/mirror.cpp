#include "app/repo/mirror.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "chart/archive_reader.hpp"
#include "chart/repo_index.hpp"
#include "util/clock.hpp"
#include "util/fd.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"
#include "util/temp_dir.hpp"
#include "util/writeall.hpp"

namespace chartprov::app {
namespace {

constexpr std::uint64_t kMaxEnvelope = 4ull << 20;
const char* const kEnvelopeSuffixes[] = {".prov", ".sig", ".sigstore.json"};

// DEST (or the quarantine) may not exist yet, or be an empty directory.
Status check_new_or_empty(const std::filesystem::path& p, const char* what) {
  std::error_code ec;
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return ok_status();
  if (!S_ISDIR(st.st_mode)) return input_error(std::string(what) + " " + p.string() + " exists and is not a directory");
  if (!std::filesystem::is_empty(p, ec) || ec) {
    return input_error(std::string(what) + " " + p.string() + " is not empty; give a new or empty directory");
  }
  return ok_status();
}

// Copies a regular file (not a symlink) of at most max bytes into a new file.
Status copy_file_once(const std::filesystem::path& from, const std::filesystem::path& to, std::uint64_t max) {
  const UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
  if (in.get() < 0) {
    return input_error(errno == ELOOP ? from.string() + " is a symbolic link; refused"
                                      : "cannot open " + from.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) return input_error(from.string() + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > max)
    return input_error(from.string() + " is larger than " + std::to_string(max) + " bytes");
  const UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (out.get() < 0) return input_error("cannot create " + to.string() + ": " + std::strerror(errno));
  std::vector<std::uint8_t> buf(std::size_t{64} * 1024);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t got = ::read(in.get(), buf.data(), buf.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return input_error("cannot read " + from.string() + ": " + std::strerror(errno));
    if (got == 0) break;
    total += static_cast<std::uint64_t>(got);
    if (total > max) return input_error(from.string() + " grew beyond " + std::to_string(max) + " bytes while copied");
    if (const int err = writeall(out.get(), ByteView(buf.data(), static_cast<std::size_t>(got))); err != 0) {
      return input_error("cannot write " + to.string() + ": " + std::strerror(err));
    }
  }
  if (::fsync(out.get()) != 0) return input_error("cannot sync " + to.string());
  return ok_status();
}

bool is_file(const std::filesystem::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

// A plain file name for a chart that cannot use its own.
std::string safe_name(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '+' || c == '-';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out.substr(0, 200);
}

std::string base_name(const RepoChartResult& c) {
  if (c.file.starts_with("https://") || c.file.starts_with("http://")) {
    std::string name = remote_file_name(c);
    if (!chart::repo_relative_path(name).empty()) return name;
  }
  if (!chart::repo_relative_path(c.file).empty()) return std::filesystem::path(c.file).filename().string();
  return safe_name(c.name + "-" + c.version + ".tgz");
}

struct Slot {
  std::string dest_name;        // in DEST (empty: never copied there)
  std::string quarantine_name;  // in the quarantine, if it goes there
  chart::RepoIndexWriteEntry entry;
};

std::string reasons_text(const RepoChartResult& c) {
  std::string out;
  out += "chart: " + c.file + "\n";
  if (!c.name.empty()) out += "name: " + c.name + "\nversion: " + c.version + "\n";
  if (!c.digest.empty()) out += "digest: " + c.digest + "\n";
  out += std::string("result: ") + outcome_name(c.outcome) + "\n";
  for (const auto& r : c.reasons) out += "reason: " + r + "\n";
  return out;
}

// Moves the staged copy and its envelopes into the quarantine; a chart that
// was never copied leaves only its reasons there.
Status quarantine(const std::filesystem::path& staged_dest, const std::filesystem::path& source_dir,
                  const std::filesystem::path& qdir, const RepoChartResult& c, const Slot& s) {
  const std::filesystem::path q = qdir / s.quarantine_name;
  if (!s.dest_name.empty()) {
    const std::filesystem::path staged = staged_dest / s.dest_name;
    for (const std::string suffix : {"", ".prov", ".sig", ".sigstore.json"}) {
      const std::filesystem::path from = staged.string() + suffix;
      if (!is_file(from)) continue;
      if (::rename(from.c_str(), (q.string() + suffix).c_str()) != 0)
        return input_error("cannot move " + from.string() + " to the quarantine");
    }
  } else if (!c.listed) {
    // Not in index.yaml: kept for inspection, as found (a copy, never verified).
    const std::filesystem::path from = source_dir / c.file;
    if (auto st = copy_file_once(from, q, chart::kMaxChartArchive); !st)
      (void)st;  // a symlink or an odd file: the reasons say enough
    for (const char* suffix : kEnvelopeSuffixes) {
      if (is_file(from.string() + suffix))
        (void)copy_file_once(from.string() + suffix, q.string() + suffix, kMaxEnvelope);
    }
  }
  return atomic_write(q.string() + ".reasons", reasons_text(c), 0644);
}

}  // namespace

Result<MirrorReport> mirror_repo(const MirrorRequest& req) {
  const std::filesystem::path dest = std::filesystem::absolute(req.dest).lexically_normal();
  const std::filesystem::path qdir = req.quarantine ? std::filesystem::absolute(*req.quarantine).lexically_normal()
                                                    : std::filesystem::path(dest.string() + ".quarantine");
  const bool remote = !req.source_url.empty();
  const std::filesystem::path src =
      remote ? std::filesystem::path() : std::filesystem::absolute(req.source).lexically_normal();
  if (dest == qdir) return usage_error("the quarantine cannot be the mirror itself");
  std::error_code ec;
  for (const auto& p : {dest, qdir}) {
    if (!remote && std::filesystem::weakly_canonical(p, ec).string().starts_with(
                       std::filesystem::weakly_canonical(src, ec).string() + "/")) {
      return usage_error(p.string() + " is inside the source repository");
    }
  }
  TRY_STATUS(check_new_or_empty(dest, "DEST"));
  TRY_STATUS(check_new_or_empty(qdir, "the quarantine"));
  TRY(const RepoVerifier verifier, RepoVerifier::load(req.trust));
  RepoListing listing;
  std::string base_url;  // remote: the repository URL
  if (remote) {
    TRY(const TempDir index_dir, TempDir::create("chartprov-mirror-index"));
    TRY(RemoteListing r, list_remote_repo(req.source_url, index_dir.path()));
    base_url = r.base;
    listing.charts = std::move(r.charts);
  } else {
    TRY(listing, list_repo(src));
  }

  // Built beside their final places (same file system: rename is atomic).
  TRY(const TempDir staged_dest, TempDir::create("." + dest.filename().string() + ".partial", dest.parent_path()));
  TRY(const TempDir staged_q, TempDir::create("." + qdir.filename().string() + ".partial", qdir.parent_path()));

  auto& charts = listing.charts;
  std::vector<Slot> slots(charts.size());
  std::map<std::string, std::size_t> dest_names;
  std::map<std::string, int> quarantine_names;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    auto& c = charts[i];
    // Unlisted files keep their path in their quarantine name (stray/x.tgz: stray_x.tgz).
    const std::string base = c.listed ? base_name(c) : safe_name(c.file);
    if (!c.listed) {
      c.reasons.emplace_back("not listed in index.yaml");
    } else if (c.reasons.empty()) {
      if (const auto [it, fresh] = dest_names.emplace(base, i); !fresh) {
        c.reasons.emplace_back("another entry of index.yaml has the same file name (" + base + ")");
        if (slots[it->second].dest_name == base) {
          charts[it->second].reasons.emplace_back("another entry of index.yaml has the same file name (" + base + ")");
          slots[it->second].dest_name.clear();
        }
      } else {
        slots[i].dest_name = base;
      }
    }
    const int n = quarantine_names[base]++;
    slots[i].quarantine_name = n == 0 ? base : std::to_string(n + 1) + "-" + base;
  }

  const std::int64_t now = now_or(req.now);
  const std::string created = format_rfc3339(now);
  unsigned jobs = req.jobs != 0 ? req.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(charts.size(), 1)));
  if (remote) jobs = std::min(jobs, 32u);
  std::atomic<std::size_t> next{0};
  std::size_t batch_end = charts.size();
  std::mutex mutex;
  std::size_t done = 0, failed = 0;
  std::optional<Error> fatal;  // a failure to write our own staging: nothing is published
  const auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= batch_end) return;
      RepoChartResult& c = charts[i];
      Slot& s = slots[i];
      if (c.reasons.empty() && !s.dest_name.empty()) {
        // Remote: already downloaded into the staging directory (below).
        const std::filesystem::path from = remote ? std::filesystem::path(c.file) : src / c.file;
        const std::filesystem::path copy = staged_dest.path() / s.dest_name;
        if (!remote) {
          if (auto st = copy_file_once(from, copy, chart::kMaxChartArchive); !st) {
            c.reasons.push_back(is_file(from) ? st.error().message : "listed in index.yaml but not in the repository");
          }
        }
        for (const char* suffix : kEnvelopeSuffixes) {
          if (remote || !c.reasons.empty() || !is_file(from.string() + suffix)) continue;
          if (auto st = copy_file_once(from.string() + suffix, copy.string() + suffix, kMaxEnvelope); !st) {
            c.reasons.push_back(st.error().message);
          }
        }
        if (c.reasons.empty()) {
          c.seen = {};                   // the walk saw the source; the copy is looked up
          c = verifier.verify(copy, c);  // the copy is what is checked, and what is published
          // Reasons name the source's files, not our staging copies.
          for (auto& r : c.reasons) {
            for (std::size_t at; (at = r.find(copy.string())) != std::string::npos;)
              r.replace(at, copy.string().size(), from.string());
          }
        }
        if (c.outcome == ChartOutcome::kVerified) {
          chart::ArchiveLimits limits;
          limits.allow_plugin = true;
          auto a = chart::read_chart_archive(copy, limits);  // our private copy: for index.yaml's fields
          if (!a || "sha256:" + a->sha256_hex != c.digest) {
            c.outcome = ChartOutcome::kFailed;
            c.reasons.emplace_back("the staged copy changed after it was verified");
          } else {
            s.entry = {a->metadata.api_version,
                       a->metadata.name,
                       a->metadata.version,
                       a->metadata.app_version,
                       a->metadata.description,
                       a->metadata.type,
                       a->sha256_hex,
                       s.dest_name,
                       created};
          }
        }
      }
      if (c.outcome != ChartOutcome::kVerified) {
        if (c.reasons.empty()) c.reasons.emplace_back("not verified");
        if (auto st = quarantine(staged_dest.path(), src, staged_q.path(), c, s); !st) {
          const std::lock_guard lock(mutex);
          if (!fatal) fatal = st.error();
        }
      }
      const std::lock_guard lock(mutex);
      ++done;
      if (c.outcome != ChartOutcome::kVerified) ++failed;
      if (req.progress) req.progress(done, charts.size(), failed);
    }
  };
  // Local: one pass. Remote: batches of 32 charts, each downloaded (chart and
  // the envelopes beside its url) into the staging directory, then verified.
  const std::size_t batch = remote ? 32 : std::max<std::size_t>(charts.size(), 1);
  for (std::size_t start = 0; start < charts.size() && !fatal; start += batch) {
    batch_end = std::min(charts.size(), start + batch);
    if (remote) {
      std::vector<HttpDownload> downloads;
      std::vector<std::size_t> fetched;
      for (std::size_t i = start; i < batch_end; ++i) {
        if (!charts[i].reasons.empty() || slots[i].dest_name.empty()) continue;
        fetched.push_back(i);
        for (auto& d : chart_downloads(base_url, charts[i], staged_dest.path() / slots[i].dest_name))
          downloads.push_back(std::move(d));
      }
      TRY(const auto answers, http_download_all(downloads));
      for (std::size_t k = 0; k < fetched.size(); ++k) {
        if (!answers[4 * k].ok()) {
          charts[fetched[k]].reasons.push_back("listed in index.yaml but cannot be downloaded: " +
                                               answers[4 * k].describe());
        }
      }
    }
    next = start;
    std::vector<std::jthread> threads;
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(work);
    work();
  }
  if (fatal) return *fatal;

  MirrorReport report;
  std::vector<chart::RepoIndexWriteEntry> entries;
  for (std::size_t i = 0; i < charts.size(); ++i) {
    if (charts[i].outcome == ChartOutcome::kVerified) {
      entries.push_back(slots[i].entry);
      ++report.mirrored;
    } else {
      ++report.quarantined;
    }
  }
  TRY_STATUS(atomic_write(staged_dest.path() / "index.yaml", chart::write_repo_index(entries, created), 0644));
  // Served as a repository: readable by the web server, like helm repo index's output.
  ::chmod(staged_dest.path().c_str(), 0755);
  ::chmod(staged_q.path().c_str(), 0755);
  // Re-checked at the last moment; an empty directory in the way is replaced.
  TRY_STATUS(check_new_or_empty(qdir, "the quarantine"));
  TRY_STATUS(check_new_or_empty(dest, "DEST"));
  std::filesystem::remove(qdir, ec);
  if (::rename(staged_q.path().c_str(), qdir.c_str()) != 0)
    return input_error("cannot create " + qdir.string() + ": " + std::strerror(errno));
  std::filesystem::remove(dest, ec);
  if (::rename(staged_dest.path().c_str(), dest.c_str()) != 0) {
    return input_error("cannot create " + dest.string() + ": " + std::strerror(errno));
  }
  report.dest = dest;
  report.quarantine = qdir;
  report.charts = std::move(charts);
  return report;
}

}  // namespace chartprov::app
