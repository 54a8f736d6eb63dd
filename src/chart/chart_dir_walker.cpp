#include "chart/chart_dir_walker.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "chart/helmignore.hpp"
#include "infra/archive/tar_format.hpp"
#include "util/file.hpp"

namespace chartprov::chart {
namespace {

namespace fs = std::filesystem;
using archive::quote_name;

constexpr std::uint64_t kMaxHelmignoreSize = 1 << 20;

const char* file_kind(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISCHR(m) || S_ISBLK(m)) return "a device";
  return "not a regular file";
}

class Walker {
 public:
  Walker(fs::path root, const HelmIgnore& rules, const ArchiveLimits& limits)
      : root_(std::move(root)), rules_(rules), limits_(limits) {}

  Status walk(const fs::path& dir, const std::string& prefix, std::size_t depth) {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return input_error("cannot list " + dir.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());  // byte order, as Go's sort.Strings

    for (const std::string& name : names) {
      const std::string rel = prefix.empty() ? name : prefix + "/" + name;
      TRY(const Resolved r, resolve(dir / name));
      // Helm decides on ignoring before anything else: an ignored entry is
      // never followed, read or refused.
      const bool is_dir = r.problem.empty() && S_ISDIR(r.st.st_mode);
      if (rules_.ignored(rel, is_dir)) continue;
      if (!r.problem.empty()) return input_error("symlink " + quote_name(rel) + " " + r.problem);
      if (is_dir) {
        if (depth + 1 >= limits_.max_depth) {
          return input_error("chart directory " + quote_name(rel) + " is nested too deep (limit " +
                             std::to_string(limits_.max_depth) + ")");
        }
        if (std::find(stack_.begin(), stack_.end(), r.path) != stack_.end()) {
          return input_error("symlink loop at " + quote_name(rel));
        }
        stack_.push_back(r.path);
        TRY_STATUS(walk(r.path, rel, depth + 1));
        stack_.pop_back();
        continue;
      }
      if (!S_ISREG(r.st.st_mode))
        return input_error("cannot package " + quote_name(rel) + ": it is " + file_kind(r.st.st_mode));
      const auto size = static_cast<std::uint64_t>(r.st.st_size);
      if (size > limits_.max_file_size) {
        return input_error("cannot package " + quote_name(rel) + ": " + std::to_string(size) +
                           " bytes (per-file limit " + std::to_string(limits_.max_file_size) + ")");
      }
      total_ += size;
      if (total_ > limits_.max_total_size) {
        return input_error("the chart's files exceed " + std::to_string(limits_.max_total_size) + " bytes");
      }
      if (files_.size() >= limits_.max_entries) {
        return input_error("the chart has more than " + std::to_string(limits_.max_entries) + " files");
      }
      files_.push_back(SourceFile{rel, r.path, (r.st.st_mode & 0111) != 0, size});
    }
    return ok_status();
  }

  std::vector<SourceFile> take() { return std::move(files_); }
  void enter_root() { stack_.push_back(root_); }

 private:
  struct Resolved {
    fs::path path;
    struct stat st {};
    std::string problem;  // why a symlink cannot be followed, for a non-ignored entry
  };

  // Follows a symlink when its target stays inside the chart directory.
  Result<Resolved> resolve(const fs::path& p) const {
    Resolved r;
    r.path = p;
    if (::lstat(p.c_str(), &r.st) != 0) return input_error("cannot stat " + p.string() + ": " + std::strerror(errno));
    if (!S_ISLNK(r.st.st_mode)) return r;
    std::error_code ec;
    fs::path target = fs::canonical(p, ec);
    if (ec) {
      r.problem = "cannot be resolved: " + ec.message();
      return r;
    }
    const std::string t = target.string();
    const std::string root = root_.string();
    const bool inside = t == root || (t.size() > root.size() && t.compare(0, root.size(), root) == 0 &&
                                      (root.back() == '/' || t[root.size()] == '/'));
    if (!inside) {
      r.problem = "points outside the chart directory (to " + t + ")";
      return r;
    }
    if (::stat(target.c_str(), &r.st) != 0) return input_error("cannot stat " + t + ": " + std::strerror(errno));
    r.path = std::move(target);
    return r;
  }

  fs::path root_;
  const HelmIgnore& rules_;
  const ArchiveLimits& limits_;
  std::vector<fs::path> stack_;
  std::vector<SourceFile> files_;
  std::uint64_t total_ = 0;
};

}  // namespace

Result<std::vector<SourceFile>> walk_chart_dir(const fs::path& chart_dir, const ArchiveLimits& limits) {
  std::error_code ec;
  const fs::path root = fs::canonical(chart_dir, ec);
  if (ec) return input_error("cannot open chart directory " + chart_dir.string() + ": " + ec.message());
  if (!fs::is_directory(root, ec)) return input_error(chart_dir.string() + " is not a directory");

  HelmIgnore rules;
  const fs::path ignore_file = root / ".helmignore";
  if (fs::exists(fs::symlink_status(ignore_file, ec))) {
    const fs::path target = fs::canonical(ignore_file, ec);
    if (ec || target.parent_path() != root) {
      return input_error(".helmignore must be a file in the chart directory, not a link elsewhere");
    }
    TRY(const std::string text, read_text_file(target, kMaxHelmignoreSize));
    TRY(rules, HelmIgnore::parse(text));
  }
  rules.add_defaults();

  Walker walker(root, rules, limits);
  walker.enter_root();
  TRY_STATUS(walker.walk(root, "", 1));  // the top-level directory is depth 1 in the archive
  return walker.take();
}

}  // namespace chartprov::chart
