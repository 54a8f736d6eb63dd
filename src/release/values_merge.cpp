#include "release/values_merge.hpp"

#include <utility>
#include <vector>

namespace chartprov::release {
namespace {

using nlohmann::json;

constexpr const char* kGlobal = "global";

// coalesceTablesFullKey with merge: dst wins; tables present in both are merged.
void coalesce_tables(json& dst, const json& src) {
  for (const auto& [key, value] : src.items()) {
    const auto it = dst.find(key);
    if (it == dst.end()) {
      dst[key] = value;
    } else if (value.is_object() && it->is_object()) {
      coalesce_tables(*it, value);
    }
  }
}

// coalesceGlobals: the parent's globals into the subchart's "global" table.
void coalesce_globals(json& sub_values, const json& parent_values) {
  json dg = json::object();
  if (const auto it = sub_values.find(kGlobal); it != sub_values.end()) {
    if (!it->is_object()) return;  // Helm warns and leaves it
    dg = *it;
  }
  json sg = json::object();
  if (const auto it = parent_values.find(kGlobal); it != parent_values.end()) {
    if (!it->is_object()) return;
    sg = *it;
  }
  for (const auto& [key, value] : sg.items()) {
    const auto existing = dg.find(key);
    if (value.is_object()) {
      if (existing == dg.end()) {
        dg[key] = value;
      } else if (existing->is_object()) {
        coalesce_tables(*existing, value);
      }
    } else if (existing == dg.end() || !existing->is_object()) {
      dg[key] = value;  // a parent's scalar global wins
    }
  }
  sub_values[kGlobal] = std::move(dg);
}

using Children = std::vector<std::pair<std::string, const VerifiedChart*>>;

Status coalesce(const VerifiedChart& chart, json& dest, const Children& children);

// Every vendored subchart under its own name (nested levels: all kept).
Children all_children(const VerifiedChart& chart) {
  Children out;
  for (const VerifiedChart& sub : chart.subcharts) out.emplace_back(sub.metadata.name, &sub);
  return out;
}

// coalesce(chart, dest): the chart's values under dest (dest wins), then its subcharts.
Status coalesce(const VerifiedChart& chart, json& dest, const Children& children) {
  coalesce_tables(dest, chart.values);
  for (const auto& [name, sub] : children) {
    auto it = dest.find(name);
    if (it == dest.end()) {
      dest[name] = json::object();
      it = dest.find(name);
    } else if (!it->is_object()) {
      return input_error("values: type mismatch on " + name + " (a subchart's values must be a table)");
    }
    coalesce_globals(*it, dest);
    TRY_STATUS(coalesce(*sub, *it, all_children(*sub)));
  }
  return ok_status();
}

}  // namespace

Result<json> merged_chart_values(const VerifiedChart& chart, const std::set<std::string>& enabled) {
  if (chart.metadata.dependencies.empty()) return chart.values;
  // Declared subcharts under their alias, when the record kept them; undeclared vendored ones always.
  Children children;
  for (const VerifiedChart& sub : chart.subcharts) {
    bool declared = false;
    for (const chart::Dependency& d : chart.metadata.dependencies) {
      if (d.name != sub.metadata.name) continue;
      declared = true;
      const std::string& key = d.alias.empty() ? d.name : d.alias;
      if (enabled.contains(key)) children.emplace_back(key, &sub);
    }
    if (!declared) children.emplace_back(sub.metadata.name, &sub);
  }
  json dest = json::object();
  TRY_STATUS(coalesce(chart, dest, children));
  return dest;
}

}  // namespace chartprov::release
