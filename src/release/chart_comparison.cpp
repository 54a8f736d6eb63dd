#include "release/chart_comparison.hpp"

#include <array>
#include <map>
#include <set>
#include <string_view>

#include "release/values_merge.hpp"
#include "util/go_yaml_text.hpp"

namespace chartprov::release {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 17> kMetadataFields = {
    "name",      "home", "sources",    "version",    "description", "keywords",    "maintainers",  "icon", "apiVersion",
    "condition", "tags", "appVersion", "deprecated", "annotations", "kubeVersion", "dependencies", "type"};
constexpr std::array<std::string_view, 8> kDependencyFields = {"name", "version", "repository",    "condition",
                                                               "tags", "enabled", "import-values", "alias"};

ChartDifference differ(ChartMismatch m, std::string subject = {}) { return {m, std::move(subject)}; }

// What Go's omitempty leaves out.
bool is_empty(const json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_boolean() && !v.get<bool>()) || ((v.is_array() || v.is_object()) && v.empty());
}

json without_empty(const json& object) {
  json out = json::object();
  for (const auto& [key, value] : object.items()) {
    if (!is_empty(value)) out[key] = value;
  }
  return out;
}

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

// Chart.yaml as Helm's Metadata marshals it, without dependencies.
json expected_metadata(const chart::ChartMetadata& m) {
  json j = json::object();
  put(j, "name", m.name);
  put(j, "home", m.home);
  if (!m.sources.empty()) j["sources"] = m.sources;
  put(j, "version", m.version);
  put(j, "description", m.description);
  if (!m.keywords.empty()) j["keywords"] = m.keywords;
  for (const chart::Maintainer& mt : m.maintainers) {
    json o = json::object();
    put(o, "name", mt.name);
    put(o, "email", mt.email);
    put(o, "url", mt.url);
    j["maintainers"].push_back(std::move(o));
  }
  put(j, "icon", m.icon);
  put(j, "apiVersion", m.api_version.empty() ? std::string("v1") : m.api_version);
  put(j, "condition", m.condition);
  put(j, "tags", m.tags);
  put(j, "appVersion", m.app_version);
  if (m.deprecated) j["deprecated"] = true;
  for (const auto& [k, v] : m.annotations) j["annotations"][k] = v;
  put(j, "kubeVersion", m.kube_version);
  put(j, "type", m.type);
  return j;
}

// The first key Helm would read as one of `fields` only through case folding.
template <std::size_t N>
std::string ambiguous_key(const json& object, const std::array<std::string_view, N>& fields) {
  for (const auto& [key, value] : object.items()) {
    for (const std::string_view f : fields) {
      if (key != f && go_json_key_matches(key, f)) return key;
    }
  }
  return {};
}

ChartDifference compare_metadata(const json& record, const chart::ChartMetadata& verified) {
  if (std::string key = ambiguous_key(record, kMetadataFields); !key.empty()) {
    return differ(ChartMismatch::kMetadataAmbiguousKey, key);
  }
  json got = json::object();
  for (const std::string_view f : kMetadataFields) {
    if (f == "dependencies") continue;
    const auto it = record.find(f);
    if (it == record.end() || is_empty(*it)) continue;
    got[std::string(f)] = *it;
  }
  if (const auto it = got.find("maintainers"); it != got.end() && it->is_array()) {
    for (json& mt : *it) {
      if (mt.is_object()) mt = without_empty(mt);
    }
  }
  const json want = expected_metadata(verified);
  for (const std::string_view f : kMetadataFields) {
    const std::string key(f);
    if (got.value(key, json()) != want.value(key, json())) return differ(ChartMismatch::kMetadataField, key);
  }
  return {};
}

std::string string_of(const json& o, const char* key) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool same_dependency(const json& rec, const chart::Dependency& d) {
  json tags = json::array();
  if (const auto it = rec.find("tags"); it != rec.end() && !it->is_null()) tags = *it;
  const std::string& key = d.alias.empty() ? d.name : d.alias;
  return string_of(rec, "name") == key && string_of(rec, "version") == d.version &&
         string_of(rec, "repository") == d.repository && string_of(rec, "condition") == d.condition &&
         string_of(rec, "alias") == d.alias && tags == json(d.tags);
}

// Checks metadata.dependencies and collects the names Helm kept enabled.
ChartDifference compare_dependencies(const json& record, const VerifiedChart& verified,
                                     std::set<std::string>& enabled) {
  const auto list = record.find("dependencies");
  if (list == record.end() || list->is_null()) return {};
  if (!list->is_array()) return differ(ChartMismatch::kMetadataField, "dependencies");
  for (const json& rec : *list) {
    if (rec.is_null()) continue;
    if (!rec.is_object()) return differ(ChartMismatch::kMetadataField, "dependencies");
    if (std::string key = ambiguous_key(rec, kDependencyFields); !key.empty()) {
      return differ(ChartMismatch::kMetadataAmbiguousKey, "dependencies[]." + key);
    }
    const std::string name = string_of(rec, "name");
    const chart::Dependency* declared = nullptr;
    for (const chart::Dependency& d : verified.metadata.dependencies) {
      if (same_dependency(rec, d)) declared = &d;
    }
    if (declared == nullptr) return differ(ChartMismatch::kDependencyUndeclared, name);
    bool vendored = false;
    for (const VerifiedChart& sub : verified.subcharts) vendored = vendored || sub.metadata.name == declared->name;
    if (!vendored) return differ(ChartMismatch::kDependencyNotVendored, name);
    enabled.insert(name);
  }
  return {};
}

json lock_dependencies(const json& lock) {
  json out = json::array();
  const auto list = lock.find("dependencies");
  if (list == lock.end() || !list->is_array()) return out;
  for (const json& d : *list) {
    if (!d.is_object()) {
      out.push_back(d);
      continue;
    }
    out.push_back({string_of(d, "name"), string_of(d, "version"), string_of(d, "repository")});
  }
  return out;
}

ChartDifference compare_lock(const json& record, const json& verified) {
  if (record.is_null() != verified.is_null()) return differ(ChartMismatch::kLockPresence);
  if (record.is_null()) return {};
  for (const char* key : {"digest", "generated"}) {
    if (record.value(key, json()) != verified.value(key, json())) return differ(ChartMismatch::kLockField, key);
  }
  if (lock_dependencies(record) != lock_dependencies(verified)) {
    return differ(ChartMismatch::kLockField, "dependencies");
  }
  return {};
}

struct FileKinds {
  ChartMismatch missing, added, differs, duplicate;
};

ChartDifference compare_files(const std::vector<RecordFile>& record, const std::vector<chart::ChartFile>& verified,
                              const FileKinds& kinds) {
  std::map<std::string_view, const Bytes*> got;
  for (const RecordFile& f : record) {
    if (!got.emplace(f.name, &f.data).second) return differ(kinds.duplicate, f.name);
  }
  std::map<std::string_view, const Bytes*> want;
  for (const chart::ChartFile& f : verified) want.emplace(f.name, &f.data);
  for (const auto& [name, data] : want) {
    const auto it = got.find(name);
    if (it == got.end()) return differ(kinds.missing, std::string(name));
    if (*it->second != *data) return differ(kinds.differs, std::string(name));
  }
  for (const auto& [name, data] : got) {
    if (!want.contains(name)) return differ(kinds.added, std::string(name));
  }
  return {};
}

// The first key path where two values differ ("image.repository", "tolerations[0]").
std::string first_difference(const json& a, const json& b, const std::string& path) {
  if (a.is_object() && b.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    for (const auto& [k, v] : b.items()) keys.insert(k);
    for (const std::string& k : keys) {
      std::string sub = path.empty() ? k : path + "." + k;
      if (!a.contains(k) || !b.contains(k)) return sub;
      if (a.at(k) != b.at(k)) return first_difference(a.at(k), b.at(k), sub);
    }
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]");
    }
  }
  return path.empty() ? std::string("(top level)") : path;
}

}  // namespace

ChartDifference compare_chart(const RecordChart& record, const VerifiedChart& verified) {
  if (ChartDifference d = compare_metadata(record.metadata, verified.metadata); d.mismatch != ChartMismatch::kNone)
    return d;
  std::set<std::string> enabled;
  if (ChartDifference d = compare_dependencies(record.metadata, verified, enabled); d.mismatch != ChartMismatch::kNone)
    return d;
  if (ChartDifference d = compare_lock(record.lock, verified.lock); d.mismatch != ChartMismatch::kNone) return d;
  const FileKinds templates{ChartMismatch::kTemplateMissing, ChartMismatch::kTemplateAdded,
                            ChartMismatch::kTemplateDiffers, ChartMismatch::kTemplateDuplicate};
  if (ChartDifference d = compare_files(record.templates, verified.templates, templates);
      d.mismatch != ChartMismatch::kNone)
    return d;
  const FileKinds files{ChartMismatch::kFileMissing, ChartMismatch::kFileAdded, ChartMismatch::kFileDiffers,
                        ChartMismatch::kFileDuplicate};
  if (ChartDifference d = compare_files(record.files, verified.files, files); d.mismatch != ChartMismatch::kNone)
    return d;
  if (record.schema != verified.schema) return differ(ChartMismatch::kSchemaDiffers, "values.schema.json");
  auto values = merged_chart_values(verified, enabled);
  if (!values.ok()) return differ(ChartMismatch::kValuesUnmergeable, "values.yaml");
  if (record.values != *values) {
    return differ(ChartMismatch::kValuesDiffer, first_difference(record.values, *values, ""));
  }
  return {};
}

std::string describe(const ChartDifference& d) {
  const std::string& s = d.subject;
  switch (d.mismatch) {
    case ChartMismatch::kNone: return "the chart object matches the verified chart";
    case ChartMismatch::kMetadataField: return "metadata field " + s + " differs from the verified Chart.yaml";
    case ChartMismatch::kMetadataAmbiguousKey: return "metadata key " + s + " is one Helm reads as another field";
    case ChartMismatch::kDependencyUndeclared: return "dependency " + s + " is not declared in the verified Chart.yaml";
    case ChartMismatch::kDependencyNotVendored: return "dependency " + s + " is not vendored in the verified chart";
    case ChartMismatch::kLockPresence: return "the lock does not match the verified chart's Chart.lock presence";
    case ChartMismatch::kLockField: return "lock field " + s + " differs from the verified Chart.lock";
    case ChartMismatch::kTemplateMissing: return "template " + s + " of the verified chart is missing";
    case ChartMismatch::kTemplateAdded: return "template " + s + " is not in the verified chart";
    case ChartMismatch::kTemplateDiffers: return "template " + s + " differs from the verified chart";
    case ChartMismatch::kTemplateDuplicate: return "template " + s + " appears twice";
    case ChartMismatch::kFileMissing: return "file " + s + " of the verified chart is missing";
    case ChartMismatch::kFileAdded: return "file " + s + " is not in the verified chart";
    case ChartMismatch::kFileDiffers: return "file " + s + " differs from the verified chart";
    case ChartMismatch::kFileDuplicate: return "file " + s + " appears twice";
    case ChartMismatch::kSchemaDiffers: return "values.schema.json differs from the verified chart";
    case ChartMismatch::kValuesDiffer: return "default value " + s + " differs from the verified chart";
    case ChartMismatch::kValuesUnmergeable: return "the verified chart's values cannot be merged as Helm merges them";
  }
  return "the chart object differs from the verified chart";
}

}  // namespace chartprov::release
