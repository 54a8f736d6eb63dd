#pragma once
// A transparency-log entry as a Sigstore bundle carries it
// (TransparencyLogEntry, protobuf-specs sigstore_rekor.proto): read by
// bundle.hpp, written by bundle_writer.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/bytes.hpp"

namespace chartprov::sigstore {

struct InclusionProof {
  std::int64_t log_index = 0;
  Bytes root_hash;
  std::int64_t tree_size = 0;
  std::vector<Bytes> hashes;
  std::string checkpoint;
};

struct TlogEntry {
  std::int64_t log_index = 0;
  Bytes log_id;
  std::string kind, version;
  std::optional<std::int64_t> integrated_time;
  std::optional<Bytes> signed_entry_timestamp;
  std::optional<InclusionProof> proof;
  Bytes body;
};

}  // namespace chartprov::sigstore
