#include "chart/archive_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>

#include "chart/chart_yaml.hpp"
#include "chart/entry_name.hpp"
#include "chart/plugin_yaml.hpp"
#include "infra/archive/gzip.hpp"
#include "infra/archive/tar_reader.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"
#include "util/fd.hpp"

namespace chartprov::chart {
namespace {

using archive::quote_name;
using archive::TarEntry;
using archive::TarEntryType;

constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

std::string n(std::uint64_t v) { return std::to_string(v); }

// gunzip -> tar -> chart rules, fed with compressed bytes.
class ChartArchiveParser final : public archive::TarSink {
 public:
  explicit ChartArchiveParser(const ArchiveLimits& limits, std::vector<ChartFile>* contents = nullptr)
      : limits_(limits), tar_(*this), contents_(contents) {}
  ChartArchiveParser(const ChartArchiveParser&) = delete;
  ChartArchiveParser& operator=(const ChartArchiveParser&) = delete;

  Status init() {
    // One-shot gunzip only below the ratio check's grace: both ways then run the same checks on the same bytes.
    const std::uint64_t one_shot = limits_.one_shot_gunzip ? std::min(limits_.ratio_grace, limits_.max_total_size) : 0;
    TRY(archive::GzipInflater inflater, archive::GzipInflater::create(one_shot));
    inflater_.emplace(std::move(inflater));
    return ok_status();
  }

  Status feed(ByteView compressed) {
    return inflater_->feed(compressed, [this](ByteView out) { return on_decompressed(out); });
  }

  Result<ChartArchive> finish() {
    TRY_STATUS(inflater_->finish());
    TRY_STATUS(tar_.finish());
    if (files_.empty()) return input_error("the archive contains no files");
    const bool plugin = !chart_yaml_seen_ && plugin_yaml_seen_ && limits_.allow_plugin;
    if (!chart_yaml_seen_ && !plugin) {
      return input_error("the archive has no " + quote_name(top_dir_ + "/Chart.yaml") +
                         " (Chart.yaml must sit directly in the top-level directory)");
    }
    if (plugin) chart_yaml_ = std::move(plugin_yaml_);
    TRY(ChartMetadata md, plugin ? parse_plugin_yaml(chart_yaml_) : parse_chart_yaml(chart_yaml_));
    if (limits_.require_top_dir_is_name && top_dir_ != md.name) {
      return input_error("the top-level directory " + quote_name(top_dir_) + " differs from the chart name " +
                         quote_name(md.name));
    }
    ChartArchive a;
    a.uncompressed_size = inflater_->total_out();
    a.chart_yaml = std::move(chart_yaml_);
    a.is_plugin = plugin;
    a.metadata = std::move(md);
    a.entries = entries_;
    a.top_dir = top_dir_;
    a.files = std::move(files_);
    return a;
  }

  Status on_entry(const TarEntry& e) override {
    if (++entries_ > limits_.max_entries)
      return input_error("more than " + n(limits_.max_entries) + " entries in the archive");
    const auto name = [&e] { return quote_name(e.path); };  // for refusals only
    switch (e.type) {
      case TarEntryType::kRegular:
      case TarEntryType::kDirectory: break;
      case TarEntryType::kSymlink:
        return input_error("entry " + name() + " is a symbolic link (to " + quote_name(e.linkname) +
                           "); links are refused");
      case TarEntryType::kHardlink:
        return input_error("entry " + name() + " is a hard link (to " + quote_name(e.linkname) +
                           "); links are refused");
      case TarEntryType::kCharDevice:
      case TarEntryType::kBlockDevice:
      case TarEntryType::kFifo:
        return input_error("entry " + name() + " is a " + archive::describe(e.type) +
                           "; only files and directories are allowed");
      case TarEntryType::kOther:
        return input_error("entry " + name() + " has the unsupported tar type " +
                           quote_name(std::string(1, e.typeflag)));
    }
    const bool is_dir = e.type == TarEntryType::kDirectory;
    TRY(const std::vector<std::string_view> parts,
        split_entry_name(e.path, is_dir, limits_.max_path_length, limits_.max_depth));
    if (top_dir_.empty()) {
      top_dir_ = parts[0];
    } else if (parts[0] != top_dir_) {
      return input_error("entry " + name() + " is outside the top-level directory " + quote_name(top_dir_) +
                         " (an archive must have exactly one)");
    }
    if (!is_dir && parts.size() == 1) return input_error("file " + name() + " is not inside a top-level directory");
    TRY_STATUS(record_name(parts, is_dir, e.path));
    if (is_dir) return ok_status();

    if (e.size > limits_.max_file_size) {
      return input_error("file " + name() + " is " + n(e.size) + " bytes (per-file limit " + n(limits_.max_file_size) +
                         ")");
    }
    capturing_ = parts.size() == 2 && parts[1] == "Chart.yaml";
    capturing_plugin_ = limits_.allow_plugin && parts.size() == 2 && parts[1] == "plugin.yaml";
    if (capturing_plugin_) {
      if (e.size > limits_.max_chart_yaml_size) {
        return input_error("plugin.yaml is " + n(e.size) + " bytes (limit " + n(limits_.max_chart_yaml_size) + ")");
      }
      plugin_yaml_seen_ = true;
    }
    if (capturing_) {
      if (e.size > limits_.max_chart_yaml_size) {
        return input_error("Chart.yaml is " + n(e.size) + " bytes (limit " + n(limits_.max_chart_yaml_size) + ")");
      }
      chart_yaml_seen_ = true;
      chart_yaml_.reserve(static_cast<std::size_t>(e.size));
    }
    if (contents_ != nullptr) {
      // The name below the top-level directory, as Helm's loader names files.
      contents_->push_back({files_.back().substr(top_dir_.size() + 1), {}});
      contents_->back().data.reserve(static_cast<std::size_t>(e.size));
    }
    return ok_status();
  }

  Status on_data(ByteView data) override {
    if (contents_ != nullptr) contents_->back().data.insert(contents_->back().data.end(), data.begin(), data.end());
    if (capturing_) chart_yaml_.append(as_chars(data));
    if (capturing_plugin_) plugin_yaml_.append(as_chars(data));
    return ok_status();
  }

  Status on_entry_end() override {
    capturing_ = false;
    capturing_plugin_ = false;
    return ok_status();
  }

 private:
  Status on_decompressed(ByteView out) {
    const std::uint64_t total_out = inflater_->total_out();
    const std::uint64_t total_in = inflater_->total_in();
    if (total_out > limits_.max_total_size) {
      return input_error("the decompressed archive exceeds " + n(limits_.max_total_size) + " bytes");
    }
    if (total_out > limits_.ratio_grace && total_out > limits_.max_ratio * std::max<std::uint64_t>(total_in, 1)) {
      return input_error("decompression ratio above " + n(limits_.max_ratio) + ":1 (" + n(total_out) + " bytes from " +
                         n(total_in) + "): refusing a likely gzip bomb");
    }
    return tar_.feed(out);
  }

  // Keeps every name and parent directory: a name may appear once, and never
  // both as a file and as a directory (extraction would be ambiguous).
  Status record_name(const std::vector<std::string_view>& parts, bool is_dir, std::string_view entry) {
    const auto shown = [entry] { return quote_name(entry); };
    std::string path;
    path.reserve(entry.size());
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (i > 0) path += '/';
      path += parts[i];
      const auto [it, added] = names_.try_emplace(path, kDirName);
      if (added) {
        TRY_STATUS(charge(path.size()));
      } else if ((it->second & kFileName) != 0) {
        return input_error("entry " + shown() + " is inside " + quote_name(path) + ", which is a file");
      } else if ((it->second & kDirName) == 0) {
        it->second |= kDirName;
        TRY_STATUS(charge(path.size()));
      }
    }
    if (!path.empty()) path += '/';
    path += parts.back();
    std::uint8_t& kind = names_.try_emplace(path, 0).first->second;
    if ((kind & kFileName) != 0) {
      return input_error(is_dir ? "entry " + shown() + " is both a file and a directory"
                                : "duplicate entry " + shown());
    }
    if (is_dir) {
      if ((kind & kExplicitDir) != 0) return input_error("duplicate directory entry " + shown());
      kind |= kExplicitDir;
      TRY_STATUS(charge(path.size()));
      if ((kind & kDirName) == 0) {
        kind |= kDirName;
        TRY_STATUS(charge(path.size()));
      }
      return ok_status();
    }
    if ((kind & kDirName) != 0) return input_error("entry " + shown() + " is both a file and a directory");
    kind |= kFileName;
    TRY_STATUS(charge(2 * path.size()));  // the set and the list
    files_.push_back(std::move(path));
    return ok_status();
  }

  Status charge(std::size_t bytes) {
    name_bytes_ += bytes + 32;  // and some bookkeeping per name
    if (name_bytes_ > limits_.max_name_bytes) {
      return input_error("the entry names take more than " + n(limits_.max_name_bytes) + " bytes");
    }
    return ok_status();
  }

  const ArchiveLimits& limits_;
  std::optional<archive::GzipInflater> inflater_;
  archive::TarReader tar_;
  std::size_t entries_ = 0;
  std::string top_dir_;
  std::vector<std::string> files_;
  // Every name seen, as a file, a directory (given or implied by a deeper name), or both kinds of
  // directory: one lookup per name and parent instead of one per set.
  static constexpr std::uint8_t kFileName = 1, kDirName = 2, kExplicitDir = 4;
  std::unordered_map<std::string, std::uint8_t> names_;
  std::uint64_t name_bytes_ = 0;
  bool capturing_ = false;
  bool chart_yaml_seen_ = false;
  std::string chart_yaml_;
  bool capturing_plugin_ = false;
  bool plugin_yaml_seen_ = false;
  std::string plugin_yaml_;
  std::vector<ChartFile>* contents_;  // every file's bytes, when asked for
};

using Fd = UniqueFd;

std::string too_big(std::uint64_t size, std::uint64_t limit) {
  return "the archive is " + n(size) + " bytes (limit " + n(limit) + ")";
}

Result<ChartArchive> read_archive_bytes(ByteView tgz, const ArchiveLimits& limits, std::vector<ChartFile>* contents) {
  if (tgz.size() > limits.max_compressed_size) return input_error(too_big(tgz.size(), limits.max_compressed_size));
  ChartArchiveParser parser(limits, contents);
  TRY_STATUS(parser.init());
  // Same chunking as the file reader, so both paths see the same pieces.
  for (std::size_t off = 0; off < tgz.size(); off += kReadChunk) {
    TRY_STATUS(parser.feed(tgz.subspan(off, std::min(kReadChunk, tgz.size() - off))));
  }
  TRY(ChartArchive a, parser.finish());
  a.sha256_hex = hex_encode(crypto::sha256(tgz));
  a.size = tgz.size();
  return a;
}

}  // namespace

Result<ChartContents> read_chart_contents_bytes(ByteView tgz, const ArchiveLimits& limits) {
  ChartContents out;
  TRY(out.archive, read_archive_bytes(tgz, limits, &out.files));
  return out;
}

Result<ChartArchive> read_chart_archive_bytes(ByteView tgz, const ArchiveLimits& limits) {
  return read_archive_bytes(tgz, limits, nullptr);
}

Result<ChartFileRead> read_chart_file(const std::filesystem::path& path, const ArchiveLimits& limits,
                                      const std::function<void(ByteView)>& sink) {
  const std::string where = path.string();
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return input_error("cannot open " + where + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return input_error("cannot stat " + where + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return input_error(where + " is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > limits.max_compressed_size) {
    return input_error(where + ": " + too_big(static_cast<std::uint64_t>(st.st_size), limits.max_compressed_size));
  }
  TRY(crypto::Digest digest, crypto::Digest::create(crypto::DigestAlg::kSha256));
  ChartArchiveParser parser(limits);
  TRY_STATUS(parser.init());
  ChartFileRead out;
  std::optional<Error> refused;  // the first check that failed; reading goes on for the digest
  // Not value-initialised: zero-filling 64 KiB touches 16 pages for nothing (a 5 KB chart uses 2).
  const auto buf = std::make_unique_for_overwrite<std::uint8_t[]>(kReadChunk);
  for (;;) {
    const ssize_t got = ::read(fd.get(), buf.get(), kReadChunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      return input_error("cannot read " + where + ": " + std::strerror(errno));
    }
    if (got == 0) break;
    const ByteView chunk(buf.get(), static_cast<std::size_t>(got));
    // A short read that reaches fstat's size is the end of a regular file: no read for the 0.
    const bool at_end =
        static_cast<std::size_t>(got) < kReadChunk && out.size + chunk.size() == static_cast<std::uint64_t>(st.st_size);
    out.size += chunk.size();
    if (out.size > limits.max_compressed_size)
      return input_error(where + ": " + too_big(out.size, limits.max_compressed_size));
    digest.update(chunk);
    if (sink) sink(chunk);
    if (!refused) {
      if (const Status s = parser.feed(chunk); !s.ok()) refused = s.error().with_context(where);
    }
    if (at_end) break;
  }
  out.sha256_hex = hex_encode(digest.finish());
  if (refused) {
    out.archive = *refused;
    return out;
  }
  auto parsed = parser.finish();
  if (!parsed.ok()) {
    out.archive = parsed.error().with_context(where);
    return out;
  }
  ChartArchive a = std::move(parsed).value();
  a.sha256_hex = out.sha256_hex;
  a.size = out.size;
  out.archive = std::move(a);
  return out;
}

Result<ChartArchive> read_chart_archive(const std::filesystem::path& path, const ArchiveLimits& limits) {
  TRY(ChartFileRead read, read_chart_file(path, limits, {}));
  return std::move(read.archive);
}

}  // namespace chartprov::chart
