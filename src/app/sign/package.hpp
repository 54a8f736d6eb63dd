#pragma once
// The package use case: chart directory -> DEST/NAME-VERSION.tgz, the same
// layout as `helm package`, byte-reproducible; optionally signed.
#include <filesystem>
#include <optional>

#include "app/sign/sign.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct PackageRequest {
  std::filesystem::path chart_dir;
  std::filesystem::path destination = ".";
  std::optional<SignRequest> sign;  // chart field is filled in here
};

struct PackageResult {
  std::filesystem::path archive;
  std::string digest;
  std::optional<SignResult> signature;
};

Result<PackageResult> package_and_sign(const PackageRequest& request);

}  // namespace chartprov::app
