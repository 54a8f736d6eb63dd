#pragma once
// A chart's Chart.yaml, as Helm's chart v2 Metadata models it
// (helm pkg/chart/v2/metadata.go, dependency.go). Strings are as written in
// the file (Helm's loader also folds Unicode spaces and drops non-printable
// characters in display fields; we keep the bytes).
#include <string>
#include <utility>
#include <vector>

namespace chartprov::chart {

struct Maintainer {
  std::string name;
  std::string email;
  std::string url;
};

// One import-values entry: a plain string, or a {child, parent} mapping.
struct ImportValue {
  bool is_mapping = false;
  std::string value;  // when !is_mapping
  std::string child;  // when is_mapping
  std::string parent;
};

struct Dependency {
  std::string name;
  std::string version;  // a constraint, not necessarily SemVer
  std::string repository;
  std::string condition;
  std::vector<std::string> tags;
  bool enabled = false;
  std::vector<ImportValue> import_values;
  std::string alias;
};

struct ChartMetadata {
  std::string api_version;  // "v1" or "v2"
  std::string name;
  std::string version;  // strict SemVer 2.0.0
  std::string app_version;
  std::string type;  // "", "application" or "library"
  std::string description;
  std::string home;
  std::string icon;
  std::string kube_version;
  std::string condition;
  std::string tags;
  bool deprecated = false;
  std::vector<std::string> keywords;
  std::vector<std::string> sources;
  std::vector<Maintainer> maintainers;
  std::vector<std::pair<std::string, std::string>> annotations;  // in file order
  std::vector<Dependency> dependencies;

  // "<name>-<version>.tgz", the file name Helm gives the package.
  std::string archive_name() const { return name + "-" + version + ".tgz"; }
};

}  // namespace chartprov::chart
