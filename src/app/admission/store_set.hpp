#pragma once
// Every chart store an admission webhook needs (issue 15): one per
// environment that a namespace can be bound to, each filled from every
// configured chart source in order. Built at start and on reload, then only
// read (admit() takes the stores by pointer). Nothing here prints.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "app/admission/admit.hpp"
#include "app/admission/chart_store.hpp"
#include "app/verify/trust_material.hpp"
#include "policy/policy.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct StoreSet {
  std::map<std::string, ChartStore> stores;  // by environment; none for an environment in mode off
  // The stores as admit() takes them, with the renderer of the manifest check
  // (make_helm_renderer; null: every record that needs the check is refused).
  [[nodiscard]] AdmissionConfig admission_config(const policy::Policy& policy,
                                                 const ManifestRenderer* renderer = nullptr) const;
};

// `policy` with `environment` bound to every namespace its own bindings do
// not name (`--env`): a last binding "*" → environment, added unless the
// policy already ends with "*". "" leaves the policy as it is. Refused: an
// environment the policy refuses (policy::check_requested_environment).
[[nodiscard]] Result<policy::Policy> bind_default_environment(policy::Policy policy, const std::string& environment);

// A store for every environment the policy's namespace bindings name that is
// not in mode off, filled from `sources` in order: a chart of a later source
// with the same name and version as one already stored is refused there
// ("the same name and version as SOURCE/FILE"). Errors: load_chart_store's,
// with the source named; an environment the policy refuses. No source: every
// store empty (a registry source fills them chart by chart).
[[nodiscard]] Result<StoreSet> load_store_set(const std::vector<std::filesystem::path>& sources,
                                              const policy::Policy& policy, const TrustMaterial& material,
                                              std::int64_t now);

}  // namespace chartprov::app
