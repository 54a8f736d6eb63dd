#pragma once
// Verifying a chart's cosign envelopes with a public key (issue 3):
// CHART.tgz.sig (cosign sign-blob) and CHART.tgz.sigstore.json (bundle).
// The chart is read with the same limits as every verify (a tar bomb is
// refused even when only a blob signature is asked for).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

struct EnvelopeReport {
  std::string format;  // cosign-blob | sigstore-bundle
  std::string file;
  bool verified = false;
  std::string reason;
  int tlog_entries_verified = 0;
  int timestamps_verified = 0;
};

struct KeyVerifyRequest {
  std::filesystem::path chart;
  std::filesystem::path key;  // cosign.pub
  std::optional<std::filesystem::path> signature;     // explicit .sig
  std::optional<std::filesystem::path> bundle;        // explicit .sigstore.json
  std::optional<std::filesystem::path> trusted_root;  // check log entries and timestamps
  bool discover = true;  // without explicit files: CHART.tgz.sig and CHART.tgz.sigstore.json when present
};

struct KeyVerifyReport {
  bool verified = false;  // every envelope checked verified, and there was at least one
  std::string chart_name, chart_version, digest, key_id;
  std::vector<EnvelopeReport> envelopes;
  std::vector<std::string> reasons;
};

// Input errors (missing chart, unreadable key or root) are Errors; every
// verdict about the envelopes is in the report.
Result<KeyVerifyReport> verify_with_key(const KeyVerifyRequest& request);

}  // namespace chartprov::app
