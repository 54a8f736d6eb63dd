#include "chart/package.hpp"

#include <map>

#include "chart/chart_dir_walker.hpp"
#include "chart/chart_yaml.hpp"
#include "chart/entry_name.hpp"
#include "infra/archive/gzip.hpp"
#include "infra/archive/tar_format.hpp"
#include "infra/archive/tar_writer.hpp"
#include "util/file.hpp"

namespace chartprov::chart {
namespace {

namespace fs = std::filesystem;
using archive::quote_name;

constexpr std::uint64_t kMaxTarMtime = 077777777777ull;

// One file as seen from the (sub)chart being ordered.
struct Item {
  std::string_view sub;  // path relative to that chart
  const SourceFile* file;
};

Status check_chart_yaml_file(const SourceFile& f, const std::string& shown, const ArchiveLimits& limits) {
  TRY(const std::string text, read_text_file(f.path, limits.max_chart_yaml_size));
  if (const auto md = parse_chart_yaml(text); !md.ok()) return md.error().with_context(shown);
  return ok_status();
}

// Helm's order for one chart (LoadFiles + writeTarContents), recursing into
// subchart directories. `prefix` is the chart's path inside the top chart.
Status order_chart(const std::vector<Item>& items, const std::string& prefix, const ArchiveLimits& limits,
                   std::vector<const SourceFile*>& out) {
  const SourceFile* chart_yaml = nullptr;
  const SourceFile* lock = nullptr;
  const SourceFile* values = nullptr;
  const SourceFile* schema = nullptr;
  std::vector<const SourceFile*> templates;
  std::vector<const SourceFile*> others;
  std::map<std::string, std::vector<Item>> subcharts;  // sorted by name

  for (const Item& it : items) {
    if (it.sub == "Chart.yaml") {
      chart_yaml = it.file;
    } else if (it.sub == "Chart.lock") {
      lock = it.file;
    } else if (it.sub == "values.yaml") {
      values = it.file;
    } else if (it.sub == "values.schema.json") {
      schema = it.file;
    } else if (it.sub.starts_with("templates/")) {
      templates.push_back(it.file);
    } else if (it.sub.starts_with("charts/") && !it.sub.ends_with(".prov")) {
      const std::string_view rest = it.sub.substr(7);
      const std::string cname(rest.substr(0, rest.find('/')));
      subcharts[cname].push_back(Item{rest, it.file});
    } else {
      others.push_back(it.file);
    }
  }
  if (chart_yaml == nullptr) return input_error("cannot package: " + quote_name(prefix + "Chart.yaml") + " is missing");
  for (const SourceFile* f : {chart_yaml, lock, values, schema}) {
    if (f != nullptr) out.push_back(f);
  }
  out.insert(out.end(), templates.begin(), templates.end());
  out.insert(out.end(), others.begin(), others.end());

  for (const auto& [cname, group] : subcharts) {
    if (cname.front() == '_' || cname.front() == '.') continue;  // Helm drops these
    const std::string where = prefix + "charts/" + cname;
    if (cname.ends_with(".tgz")) {
      if (group.size() != 1 || group.front().sub != cname) {
        return input_error("cannot package: " + quote_name(where) + " is a directory named like a chart archive");
      }
      const auto sub = read_chart_archive(group.front().file->path, limits);
      if (!sub.ok()) return sub.error().with_context("cannot package subchart " + quote_name(where));
      out.push_back(group.front().file);
      continue;
    }
    std::vector<Item> sub_items;
    const SourceFile* sub_chart_yaml = nullptr;
    for (const Item& it : group) {
      if (it.sub == cname) {
        return input_error("cannot package: " + quote_name(where) +
                           " is neither a chart directory nor a .tgz chart archive");
      }
      const Item sub{it.sub.substr(cname.size() + 1), it.file};
      if (sub.sub == "Chart.yaml") sub_chart_yaml = sub.file;
      sub_items.push_back(sub);
    }
    if (sub_chart_yaml == nullptr) {
      return input_error("cannot package: subchart " + quote_name(where) + " has no Chart.yaml");
    }
    TRY_STATUS(check_chart_yaml_file(*sub_chart_yaml, where + "/Chart.yaml", limits));
    TRY_STATUS(order_chart(sub_items, where + "/", limits, out));
  }
  return ok_status();
}

}  // namespace

Result<std::optional<std::uint64_t>> parse_source_date_epoch(const char* value) {
  if (value == nullptr || *value == '\0') return std::optional<std::uint64_t>();
  const std::string_view v(value);
  std::uint64_t n = 0;
  for (const char c : v) {
    if (c < '0' || c > '9' || v.size() > 12) {
      return usage_error("SOURCE_DATE_EPOCH " + quote_name(v) + " is not a number of seconds");
    }
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > kMaxTarMtime) return usage_error("SOURCE_DATE_EPOCH " + quote_name(v) + " is too large for a tar header");
  return std::optional<std::uint64_t>(n);
}

Result<PackagedChart> package_chart(const fs::path& chart_dir, const PackageOptions& options) {
  const ArchiveLimits& limits = options.limits;
  const std::uint64_t mtime = options.mtime.value_or(kDefaultPackageMtime);
  if (mtime > kMaxTarMtime) return usage_error("package mtime is too large for a tar header");

  TRY(const std::vector<SourceFile> files, walk_chart_dir(chart_dir, limits));
  const SourceFile* chart_yaml = nullptr;
  std::vector<Item> items;
  items.reserve(files.size());
  for (const SourceFile& f : files) {
    if (f.rel == "Chart.yaml") chart_yaml = &f;
    items.push_back(Item{f.rel, &f});
  }
  const fs::path chart_yaml_path = chart_dir / "Chart.yaml";
  if (chart_yaml == nullptr) {
    std::error_code ec;
    if (fs::exists(chart_yaml_path, ec)) return input_error("cannot package: Chart.yaml is excluded by .helmignore");
    return input_error("cannot package " + chart_dir.string() + ": no Chart.yaml");
  }
  // Validate Chart.yaml before anything else is read.
  TRY(const std::string chart_yaml_text, read_text_file(chart_yaml->path, limits.max_chart_yaml_size));
  const auto parsed = parse_chart_yaml(chart_yaml_text);
  if (!parsed.ok()) return parsed.error().with_context(chart_yaml_path.string());
  const std::string& name = parsed->name;

  std::vector<const SourceFile*> ordered;
  TRY_STATUS(order_chart(items, "", limits, ordered));

  TRY(archive::GzipDeflater deflater, archive::GzipDeflater::create(9));
  archive::TarWriter tar([&deflater](ByteView b) { return deflater.write(b); });
  std::vector<std::string> entries;
  for (const SourceFile* f : ordered) {
    std::string entry = name + "/" + f->rel;
    TRY_STATUS(split_entry_name(entry, false, limits.max_path_length, limits.max_depth));
    TRY(const Bytes data, read_file(f->path, limits.max_file_size));
    TRY_STATUS(tar.add_file(entry, f->executable ? 0755 : 0644, mtime, data));
    entries.push_back(std::move(entry));
  }
  TRY_STATUS(tar.finish());
  TRY(Bytes tgz, deflater.finish());

  // What we hand out must pass our own reader; its metadata is taken from the
  // bytes actually packaged.
  auto check = read_chart_archive_bytes(tgz, limits);
  if (!check.ok()) return check.error().with_context("the package fails the archive checks");
  if (check->files != entries) return internal_error("the package's entry list differs from what was written");

  PackagedChart out;
  out.tgz = std::move(tgz);
  out.metadata = std::move(check->metadata);
  out.file_name = out.metadata.archive_name();
  out.sha256_hex = std::move(check->sha256_hex);
  out.entries = std::move(entries);
  return out;
}

}  // namespace chartprov::chart
