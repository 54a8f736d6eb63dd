#pragma once
// The charts an admission webhook admits releases of (issue 15), from a
// directory source: a `mirror` output, or any directory of CHART.tgz files
// with their envelopes beside them. Each chart is decided once, by decide(),
// under one environment's policy with the trust material loaded once; the
// bytes that decision verified (its private copy, never the file again) are
// read the way Helm loads a chart (release::load_verified_chart). A release
// record is then matched against them by chart name and version
// (release::judge_record_request). The verified bytes stay in the store's
// private directory (0700, removed with the last copy of the store: whoever
// moves facts out of a store moves `copies` too) for the manifest check,
// which renders them (manifest_renderer.hpp). Nothing here prints.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/verify/trust_material.hpp"
#include "policy/policy.hpp"
#include "release/template_scan.hpp"
#include "release/verified_chart.hpp"
#include "util/result.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {

inline constexpr std::size_t kMaxStoredCharts = 1000;

// What the decision said of a chart that verified.
struct StoredChartFacts {
  std::string file;                  // its base name in the source
  std::string digest;                // "sha256:<hex>" of the bytes verified and read
  std::vector<std::string> signers;  // the signers that counted
  std::filesystem::path copy;        // those bytes, in the store's private directory
  release::TemplateScan scan;        // what in its templates helm template cannot reproduce
};

// A chart of the source that is not in the store, and why.
struct RefusedChart {
  std::string file;
  std::string reason;
};

struct ChartStore {
  std::string environment;
  std::vector<release::VerifiedChart> charts;  // allowed by the policy, one per name and version
  std::vector<StoredChartFacts> facts;         // facts[i] is about charts[i]
  std::vector<RefusedChart> refused;           // every other *.tgz of the source, in name order
  // The private directories that hold every facts[i].copy (one per source
  // loaded; a merged store keeps them all).
  std::vector<std::shared_ptr<const TempDir>> copies;

  // The facts of `chart` when it is one of `charts` (a judgement's chart), else nullptr.
  const StoredChartFacts* facts_of(const release::VerifiedChart* chart) const;
};

// Every *.tgz directly in `dir` (in name order), decided under `environment`
// at `now` (0: the clock). Errors (the store cannot be built): `dir` is not a
// directory or cannot be listed; more than kMaxStoredCharts charts; an
// environment the policy refuses (policy::check_requested_environment) or
// puts in mode off (nothing is verified there); no private directory for the
// verified copies. A chart is refused, with the reason, when: decide() errs
// (an envelope that cannot be read, trust material that expired) or does not
// allow it (a mode warn environment lets a deploy through, not into the
// store); its verified bytes cannot be read as a
// chart Helm would load (release::load_verified_chart's refusals); or a chart
// earlier in name order has the same name and version.
[[nodiscard]] Result<ChartStore> load_chart_store(const std::filesystem::path& dir, const policy::Policy& policy,
                                                  std::string_view environment, const TrustMaterial& material,
                                                  std::int64_t now);

// One chart of an OCI registry, fetched when a review names a chart no
// store holds (a registry cannot be listed ahead of time).
struct OciChartRequest {
  std::string repository;   // oci://HOST/PATH/NAME
  std::string version;      // the tag
  std::string registry;     // HOST[:PORT] of the repository
  bool plain_http = false;  // HTTP, not HTTPS (a loopback registry)
};

// Decides `chart` under the store's environment, pulling it from the
// registry, and adds it to `store` when it is allowed (its verified bytes in
// a private directory of their own). True when added; false when refused, the
// reason appended to store.refused (the registry has no such tag, it does not
// verify, it is not a chart Helm would load, the store has that name and
// version). Errors: the environment's (load_chart_store's), the store is full
// (kMaxStoredCharts), no private directory.
// The same for a chart file with its envelopes beside it (a repository
// source's chart, downloaded for a review): decided under the store's
// environment, its verified bytes copied into a private directory.
[[nodiscard]] Result<bool> add_chart_file(ChartStore& store, const std::filesystem::path& chart,
                                          const std::string& label, const policy::Policy& policy,
                                          const TrustMaterial& material, std::int64_t now);

[[nodiscard]] Result<bool> add_oci_chart(ChartStore& store, const OciChartRequest& chart, const policy::Policy& policy,
                                         const TrustMaterial& material, std::int64_t now);

}  // namespace chartprov::app
