// The helm implementation of ManifestRenderer (manifest_renderer.hpp): the
// real `helm template` on the verified bytes, as a helper process.
#include <algorithm>
#include <semaphore>

#include "app/admission/manifest_renderer.hpp"
#include "app/helpers/helper_path.hpp"
#include "chart/archive_reader.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/process/process.hpp"
#include "release/release_record.hpp"
#include "release/rendered_manifest.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxStderr = 64u << 10;
constexpr std::size_t kMaxStderrShown = 200;

// helm's whole environment: its state, home and temporary files in `dir`, no
// cluster, no plugins (a post-renderer is a plugin), one time zone.
std::vector<std::string> helm_environment(const fs::path& dir) {
  return {"HOME=" + (dir / "home").string(),
          "HELM_CACHE_HOME=" + (dir / "cache").string(),
          "HELM_CONFIG_HOME=" + (dir / "config").string(),
          "HELM_DATA_HOME=" + (dir / "data").string(),
          "HELM_PLUGINS=" + (dir / "plugins").string(),
          "KUBECONFIG=" + (dir / "no-kubeconfig").string(),
          "TMPDIR=" + dir.string(),
          "TZ=UTC"};
}

process::ProcessLimits helm_limits(const fs::path& dir, std::chrono::milliseconds timeout) {
  process::ProcessLimits limits;
  limits.timeout = timeout;
  limits.max_stdout = release::kMaxReleaseJsonSize;
  limits.max_stderr = kMaxStderr;
  limits.inherit_env = false;
  limits.extra_env = helm_environment(dir);
  return limits;
}

// The line of helm's stderr that says why ("Error: ..."), else its first
// non-empty line; printable ASCII only, bounded.
std::string stderr_reason(std::string_view err) {
  std::string_view chosen;
  for (std::size_t pos = 0; pos < err.size();) {
    std::size_t end = err.find('\n', pos);
    if (end == std::string_view::npos) end = err.size();
    const std::string_view line = err.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("Error: ")) {
      chosen = line;
      break;
    }
    if (chosen.empty()) chosen = line;
  }
  std::string out;
  for (const char c : chosen.substr(0, kMaxStderrShown)) out += c >= 0x20 && c < 0x7f ? c : '?';
  return out.empty() ? "(no message)" : out;
}

bool is_plain_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '/' || c == '+' || c == '-';
  });
}

// The full output: the --no-hooks form, or "\n" (nothing but hooks) followed by hook documents.
bool is_template_output(std::string_view out) {
  if (release::is_template_manifest_output(out)) return true;
  if (!out.starts_with('\n')) return false;
  const auto hooks = release::split_manifest(out.substr(1));
  return hooks && !hooks->empty();
}

class SlotGuard {
 public:
  explicit SlotGuard(std::counting_semaphore<>& slots) : slots_(slots) {}
  ~SlotGuard() { slots_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  std::counting_semaphore<>& slots_;
};

class HelmRenderer final : public ManifestRenderer {
 public:
  HelmRenderer(std::string helm, std::string version, const HelmRendererOptions& options)
      : helm_(std::move(helm)),
        version_(std::move(version)),
        options_(options),
        slots_(static_cast<std::ptrdiff_t>(options.max_parallel)) {}

  Result<RenderedManifest> render(const RenderRequest& request) const override {
    if (!request.values.is_object()) return input_error("helm template: the values are not a JSON object");
    std::string values;
    try {
      values = request.values.dump();
    } catch (const nlohmann::json::exception&) {
      return input_error("helm template: the values cannot be written as JSON");
    }
    if (!slots_.try_acquire_for(options_.timeout)) {
      return input_error("helm template: no rendering slot was free within " +
                         std::to_string(options_.timeout.count()) + " ms");
    }
    const SlotGuard slot(slots_);
    TRY(const TempDir dir, TempDir::create("chartprov-render"));
    auto bytes = read_file(request.chart, chart::kMaxChartArchive);
    if (!bytes) return input_error("helm template: the verified copy cannot be read: " + bytes.error().message);
    if (crypto::sha256_digest(*bytes) != request.chart_digest) {
      return input_error("helm template: the verified copy is not the bytes that verified");
    }
    const fs::path chart = dir.path() / "chart.tgz";
    const fs::path values_file = dir.path() / "values.json";
    TRY_STATUS(atomic_write(chart, *bytes, 0600));
    TRY_STATUS(atomic_write(values_file, values, 0600));

    std::vector<std::string> argv = {helm_, "template", "--namespace=" + request.namespace_name,
                                     "--values=" + values_file.string()};
    if (request.is_upgrade) argv.emplace_back("--is-upgrade");
    if (!request.hooks) argv.emplace_back("--no-hooks");
    if (!options_.kube_version.empty()) argv.push_back("--kube-version=" + options_.kube_version);
    for (const auto& api : options_.api_versions) argv.push_back("--api-versions=" + api);
    argv.insert(argv.end(), {"--", request.release_name, chart.string()});

    auto ran = process::run_process(argv, {}, helm_limits(dir.path(), options_.timeout));
    if (!ran) return input_error("helm template: " + ran.error().message);
    if (ran->exit_code != 0) return input_error("helm template failed: " + stderr_reason(ran->err));
    const bool form = request.hooks ? is_template_output(ran->out) : release::is_template_manifest_output(ran->out);
    if (!form) return input_error("helm template: its output is not in the form helm template prints");
    return RenderedManifest{std::move(ran->out)};
  }

  std::string describe() const override { return "helm " + version_ + " (" + helm_ + ")"; }

 private:
  std::string helm_;
  std::string version_;
  HelmRendererOptions options_;
  mutable std::counting_semaphore<> slots_;
};

// "v4.1.4" -> itself when the major version is 3 or 4.
Result<std::string> helm_version(const std::string& helm, std::chrono::milliseconds timeout) {
  TRY(const TempDir dir, TempDir::create("chartprov-render"));
  auto ran = process::run_process({helm, "version", "--template={{.Version}}"}, {}, helm_limits(dir.path(), timeout));
  if (!ran) return input_error("helm version: " + ran.error().message);
  if (ran->exit_code != 0) return input_error("helm version failed: " + stderr_reason(ran->err));
  std::string version = ran->out;
  while (!version.empty() && (version.back() == '\n' || version.back() == '\r')) version.pop_back();
  if (!(version.starts_with("v3.") || version.starts_with("v4.")) || !is_plain_token(version)) {
    return input_error(helm + " is not helm v3 or v4 (helm version says \"" + stderr_reason(version) + "\")");
  }
  return version;
}

}  // namespace

Result<std::unique_ptr<ManifestRenderer>> make_helm_renderer(const HelmRendererOptions& options) {
  if (options.max_parallel == 0) return usage_error("helm renderer: max_parallel must be at least 1");
  if (!options.kube_version.empty() && !is_plain_token(options.kube_version)) {
    return usage_error("helm renderer: kube version \"" + options.kube_version + "\" is not a plain version");
  }
  for (const auto& api : options.api_versions) {
    if (!is_plain_token(api)) return usage_error("helm renderer: api version \"" + api + "\" is not a plain token");
  }
  std::string helm = options.helm;
  if (helm.empty()) {
    TRY(helm, helm_helper_path());
  }
  TRY(std::string version, helm_version(helm, options.timeout));
  std::unique_ptr<ManifestRenderer> renderer = std::make_unique<HelmRenderer>(helm, std::move(version), options);
  if (options.cache_entries == 0) return renderer;
  return make_caching_renderer(std::move(renderer), options.cache_entries, options.cache_bytes);
}

}  // namespace chartprov::app
