#include "release/verified_chart.hpp"

#include <map>
#include <string>

#include "chart/chart_yaml.hpp"
#include "chart/values_yaml.hpp"

namespace chartprov::release {
namespace {

using chart::ChartFile;

Error refuse(const std::string& chart_name, const std::string& what) {
  return input_error("chart " + chart_name + ": " + what);
}

Result<VerifiedChart> load_files(std::vector<ChartFile> files, const std::string& where, std::size_t depth);

Result<VerifiedChart> load_subchart(const std::string& group, std::vector<ChartFile> files, const std::string& where,
                                    std::size_t depth) {
  const std::string sub_where = where + "/charts/" + group;
  if (depth >= kMaxSubchartDepth) return refuse(sub_where, "subcharts nest too deeply");
  if (group.ends_with(".tgz")) {
    if (files.size() != 1 || files[0].name != group) return refuse(sub_where, "is not a single archive");
    chart::ArchiveLimits limits;
    limits.require_top_dir_is_name = false;  // Helm's LoadArchive does not require it
    auto contents = chart::read_chart_contents_bytes(files[0].data, limits);
    if (!contents.ok()) return refuse(sub_where, contents.error().message);
    return load_files(std::move(contents->files), sub_where, depth + 1);
  }
  for (ChartFile& f : files) f.name = f.name.substr(std::min(f.name.size(), group.size() + 1));
  return load_files(std::move(files), sub_where, depth + 1);
}

Status check_supported(const VerifiedChart& c, const std::string& where) {
  for (const chart::Dependency& d : c.metadata.dependencies) {
    if (!d.import_values.empty()) {
      return refuse(where, "dependency " + d.name + " has import-values, which is not reproduced");
    }
  }
  return ok_status();
}

Result<VerifiedChart> load_files(std::vector<ChartFile> files, const std::string& where, std::size_t depth) {
  VerifiedChart c;
  bool chart_yaml = false;
  std::map<std::string, std::vector<ChartFile>> groups;  // subcharts by first name below charts/
  for (ChartFile& f : files) {
    const std::string_view text = as_chars(f.data);
    if (f.name == "Chart.yaml") {
      auto md = chart::parse_chart_yaml(text);
      if (!md.ok()) return refuse(where, md.error().message);
      c.metadata = std::move(md).value();
      chart_yaml = true;
    } else if (f.name == "Chart.lock") {
      auto lock = chart::parse_values_yaml(text);
      if (!lock.ok()) return refuse(where, "Chart.lock: " + lock.error().message);
      c.lock = std::move(lock).value();
    } else if (f.name == "values.yaml") {
      auto values = chart::parse_values_yaml(text);
      if (!values.ok()) return refuse(where, values.error().message);
      c.values = std::move(values).value();
    } else if (f.name == "values.schema.json") {
      c.schema = std::move(f.data);
    } else if (f.name == "requirements.yaml" || f.name == "requirements.lock") {
      return refuse(where, f.name + " (apiVersion v1 dependencies) is not supported");
    } else if (f.name.starts_with("templates/")) {
      c.templates.push_back(std::move(f));
    } else if (f.name.starts_with("charts/") && !f.name.ends_with(".prov")) {
      std::string rest = f.name.substr(7);
      std::string group = rest.substr(0, rest.find('/'));
      if (group.empty() || group[0] == '_' || group[0] == '.') continue;  // Helm skips these
      f.name = std::move(rest);
      groups[group].push_back(std::move(f));
    } else {
      c.files.push_back(std::move(f));
    }
  }
  if (!chart_yaml) return refuse(where, "has no Chart.yaml");
  if (c.values.is_null()) c.values = nlohmann::json::object();
  TRY_STATUS(check_supported(c, where));
  for (auto& [group, group_files] : groups) {
    TRY(VerifiedChart sub, load_subchart(group, std::move(group_files), where, depth));
    c.subcharts.push_back(std::move(sub));
  }
  return c;
}

}  // namespace

Result<VerifiedChart> load_verified_chart(const chart::ChartContents& contents) {
  return load_files(contents.files, contents.archive.metadata.name, 0);
}

}  // namespace chartprov::release
