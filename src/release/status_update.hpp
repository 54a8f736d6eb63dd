#pragma once
// A status-only UPDATE of a release record: the in-place updates Helm makes
// after the resources exist (pending-install -> deployed, deployed ->
// superseded, hook runs, uninstall with --keep-history) change only
// info.status, info.description, info.deleted and hooks[].last_run
// (FORMAT.md §2, "What changes on the in-place UPDATE"). chart, config,
// manifest, version, name and namespace never change in an UPDATE Helm makes.
#include <nlohmann/json.hpp>

namespace chartprov::release {

// Whether two decoded release payloads are equal except for those fields.
[[nodiscard]] bool is_status_only_change(const nlohmann::json& old_release, const nlohmann::json& new_release);

}  // namespace chartprov::release
