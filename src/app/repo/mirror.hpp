#pragma once
// mirror SRC DEST: a new Helm repository holding only the charts of SRC that
// verify (the trusted internal mirror a deployment gate can pull from). Each
// chart and its envelopes are copied once into a private staging directory
// and the COPY is verified (what is checked is what is published); charts
// that verify stay, with a fresh index.yaml listing them (digests, relative
// urls); the rest go to the quarantine directory with CHART.tgz.reasons
// (one reason per line). DEST and the quarantine are built beside their
// final place and renamed into it at the end: they appear whole or not at
// all. Nothing here prints.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/repo/verify_repo.hpp"

namespace chartprov::app {

struct MirrorRequest {
  std::filesystem::path source;  // repository directory (index.yaml)
  std::string source_url;        // or its URL (https://HOST/PATH[/index.yaml]): downloaded into the staging
  std::filesystem::path dest;    // must not exist, or be an empty directory
  std::optional<std::filesystem::path> quarantine;  // default: DEST.quarantine; same rule
  RepoTrustOptions trust;
  unsigned jobs = 0;
  std::function<void(std::size_t done, std::size_t total, std::size_t failed)> progress;
  std::int64_t now = 0;  // index.yaml's "created"/"generated"; 0: the clock
};

struct MirrorReport {
  std::filesystem::path dest, quarantine;
  std::vector<RepoChartResult> charts;  // verified ones are in DEST, the others in the quarantine
  std::size_t mirrored = 0, quarantined = 0;
};

Result<MirrorReport> mirror_repo(const MirrorRequest& request);

}  // namespace chartprov::app
