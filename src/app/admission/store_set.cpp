#include "app/admission/store_set.hpp"

#include <set>
#include <utility>

#include "policy/policy.hpp"

namespace chartprov::app {
namespace {

// Moves `from`'s charts into `into`, refusing those `into` already holds.
void merge_store(ChartStore& into, ChartStore from, const std::string& source) {
  for (std::size_t i = 0; i < from.charts.size(); ++i) {
    const auto& chart = from.charts[i];
    std::string earlier;
    for (std::size_t j = 0; j < into.charts.size() && earlier.empty(); ++j) {
      if (into.charts[j].metadata.name == chart.metadata.name &&
          into.charts[j].metadata.version == chart.metadata.version)
        earlier = into.facts[j].file;
    }
    if (!earlier.empty()) {
      into.refused.push_back({source + "/" + from.facts[i].file, "the same name and version as " + earlier});
      continue;
    }
    from.facts[i].file = source + "/" + from.facts[i].file;
    into.charts.push_back(std::move(from.charts[i]));
    into.facts.push_back(std::move(from.facts[i]));
  }
  for (auto& r : from.refused) into.refused.push_back({source + "/" + r.file, std::move(r.reason)});
  // The verified copies the moved facts name live as long as the merged store.
  into.copies.insert(into.copies.end(), from.copies.begin(), from.copies.end());
}

}  // namespace

AdmissionConfig StoreSet::admission_config(const policy::Policy& policy, const ManifestRenderer* renderer) const {
  AdmissionConfig config;
  config.policy = &policy;
  config.renderer = renderer;
  for (const auto& [environment, store] : stores) config.stores[environment] = &store;
  return config;
}

Result<policy::Policy> bind_default_environment(policy::Policy policy, const std::string& environment) {
  if (environment.empty()) return policy;
  TRY_STATUS(policy::check_requested_environment(policy, environment));
  if (!policy.namespaces.empty() && policy.namespaces.back().pattern == "*") return policy;
  policy.namespaces.push_back({"*", environment, 0});
  return policy;
}

Result<StoreSet> load_store_set(const std::vector<std::filesystem::path>& sources, const policy::Policy& policy,
                                const TrustMaterial& material, std::int64_t now) {
  std::set<std::string> environments;
  for (const auto& binding : policy.namespaces) {
    const policy::Environment* section = policy::find_environment(policy, binding.environment);
    if (section == nullptr || section->mode != policy::Mode::off) environments.insert(binding.environment);
  }
  StoreSet set;
  for (const auto& environment : environments) {
    TRY_STATUS(policy::check_requested_environment(policy, environment));
    ChartStore& merged = set.stores[environment];
    merged.environment = environment;
    for (const auto& source : sources) {
      auto store = load_chart_store(source, policy, environment, material, now);
      if (!store) return store.error().with_context("chart source " + source.string());
      merge_store(merged, std::move(*store), source.string());
    }
  }
  return set;
}

}  // namespace chartprov::app
