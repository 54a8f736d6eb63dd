#pragma once
// The rendering the admission webhook's manifest check compares a release
// record with (issue 15, docs/ADMISSION.md "The manifest check"): a verified
// chart rendered with a record's values, name and namespace, as `helm
// template` prints it. Go templates cannot be rendered in C++, so the real
// helm renders, as a helper process beside chartprov.
//
// One interface, implementations chosen by a factory:
//  - make_helm_renderer: the helm binary (and, by default, the cache below in
//    front of it);
//  - make_caching_renderer: a bounded LRU cache in front of any renderer.
// admit() holds only the interface and runs no process itself; without a
// renderer (the fuzz target) the manifest check cannot run and every record
// that needs it is refused. The server builds one renderer at start-up and
// passes it to every admit() call (AdmissionConfig::renderer).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

// One rendering of a verified chart. Every field but `chart` is part of the
// cache key (`chart` is named by its digest).
struct RenderRequest {
  std::filesystem::path chart;  // the verified copy the chart store kept (never the source file)
  std::string chart_digest;     // "sha256:<hex>" of the bytes that verified: the copy is checked again
  std::string release_name;
  std::string namespace_name;
  nlohmann::json values;    // the record's config (an object): the only values given
  bool is_upgrade = false;  // --is-upgrade: .Release.IsUpgrade instead of .Release.IsInstall
  bool hooks = true;        // false: --no-hooks (the manifest alone)
  int run = 0;              // 0, or 1 for a second, independent rendering of the same inputs
};

// What `helm template` printed (stdout), checked: with request.hooks false,
// release::is_template_manifest_output; with hooks, the same text followed by
// hook documents.
struct RenderedManifest {
  std::string text;
};

class ManifestRenderer {
 public:
  virtual ~ManifestRenderer() = default;
  // Thread-safe: called from every worker at once. Errors are the
  // implementation's refusals, each with one fixed message.
  [[nodiscard]] virtual Result<RenderedManifest> render(const RenderRequest& request) const = 0;
  // For messages and logs: "helm v4.1.4 (/usr/local/bin/helm)", "cached helm ...".
  [[nodiscard]] virtual std::string describe() const = 0;
};

inline constexpr std::size_t kDefaultRenderCacheEntries = 512;
inline constexpr std::size_t kDefaultRenderCacheBytes = std::size_t{256} << 20;

struct HelmRendererOptions {
  std::string helm;  // the binary; empty: $CHARTPROV_HELM, else `helm` next to chartprov (helpers/helper_path.hpp)
  // Per helm run, and the longest wait for a free slot. A cold request renders
  // twice (three times when it differs), and the webhook's own timeout is
  // 10 s (packaging/helm): a hung helm is answered by us, not by the API server.
  std::chrono::milliseconds timeout{3000};
  std::size_t max_parallel = 4;  // helm processes at once (each holds tens of MB)
  // The cluster's capabilities, as an install saw them: --kube-version (e.g.
  // "v1.31.2"; empty: helm's built-in default, which differs between helm
  // releases) and --api-versions (each "group/version" or
  // "group/version/Kind" beyond the built-in set). A chart that reads
  // .Capabilities renders like its install only when these are the cluster's.
  std::string kube_version;
  std::vector<std::string> api_versions;
  std::size_t cache_entries = kDefaultRenderCacheEntries;  // 0: no cache
  std::size_t cache_bytes = kDefaultRenderCacheBytes;
};

// Errors: no helm found (helper_path's refusal); `helm version` cannot be run,
// fails, or names a major version other than v3 or v4 (the output form the
// check relies on is theirs); a kube_version or api version that is empty or
// holds a byte other than [A-Za-z0-9._/+-] (they become single argv tokens,
// never flags); max_parallel 0.
//
// render() runs, in a private temporary directory with a fresh HOME, helm
// state, no kubeconfig, no plugins, TZ=UTC and nothing else of our
// environment:
//   helm template --namespace=NS --values=VALUES.json [--is-upgrade]
//     [--no-hooks] [--kube-version=V] [--api-versions=A]... -- NAME CHART
// where CHART is a copy of request.chart whose SHA-256 was checked against
// request.chart_digest. render() refuses, each with one fixed message: a
// copy that cannot be read or is not the bytes that verified; values that
// are not a JSON object; no free slot within the timeout; helm that cannot
// be started, runs longer than the timeout, writes more than
// release::kMaxReleaseJsonSize bytes, exits non-zero (the message carries
// the first line of its stderr, printable ASCII only, at most 200 bytes), or
// prints output not in the form above.
[[nodiscard]] Result<std::unique_ptr<ManifestRenderer>> make_helm_renderer(const HelmRendererOptions& options);

// Renders through `inner` once per distinct request and keeps the text: at
// most `entries` renderings and `bytes` bytes of text, the least recently
// used dropped first. Requests for the same key while one is rendering wait
// for it (one helm run, not one per worker). Failures are not kept. entries
// 0 makes no cache (every request renders).
[[nodiscard]] std::unique_ptr<ManifestRenderer> make_caching_renderer(std::unique_ptr<ManifestRenderer> inner,
                                                                      std::size_t entries, std::size_t bytes);

}  // namespace chartprov::app
