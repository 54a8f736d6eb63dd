#pragma once
// Strict SemVer 2.0.0 (https://semver.org): MAJOR.MINOR.PATCH, optional
// -PRERELEASE and +BUILD. Stricter than Helm's Masterminds parser, which also
// takes "v1.2", "1" or leading zeros: a chart version is an identity, so only
// one spelling of it is accepted.
#include <optional>
#include <string>
#include <string_view>

namespace chartprov::chart {

// Why `version` is not valid SemVer 2.0.0, or nullopt when it is.
std::optional<std::string> semver_error(std::string_view version);
inline bool is_valid_semver(std::string_view version) { return !semver_error(version).has_value(); }

}  // namespace chartprov::chart
