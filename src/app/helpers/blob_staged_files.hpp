#pragma once
// Several output files (CHART.tgz.prov + .sig + .sigstore.json, or
// cosign.key + cosign.pub) written as one step: each is first written in
// full (and synced) under a hidden temporary name beside its target; only
// when all are there are they renamed into place. A failure while writing
// leaves no new file and no old file changed.
#include <filesystem>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

struct StagedFile {
  std::filesystem::path path;
  std::string content;
  unsigned mode = 0644;
};

Status write_all_or_nothing(const std::vector<StagedFile>& files);

}  // namespace chartprov::app
