#pragma once
// Shared by the admission webhook's tests (admission_test.cpp,
// manifest_check_test.cpp): a source of charts signed here with a cosign key
// and decided under a policy binding namespace demo, the real helm (a peer,
// tests/chart/peer_helm.hpp) to package charts and make release records with
// `helm install --dry-run=client -o json` (no cluster needed), and those
// records stored as Helm's secret driver stores them, in an AdmissionReview.
#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "app/admission/admit.hpp"
#include "app/admission/chart_store.hpp"
#include "app/admission/manifest_renderer.hpp"
#include "app/sign/blob_signer.hpp"
#include "chart/peer_helm.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "infra/archive/gzip.hpp"
#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/process/process.hpp"
#include "release/release_test_support.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

namespace chartprov::app::admission_test {

namespace fs = std::filesystem;

inline const std::int64_t kNow = static_cast<std::int64_t>(std::time(nullptr));

class ChartStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = crypto::generate_key("ecdsa-p256").value();
    test::write_text(dir_ / "cosign.pub", crypto::public_key_pem(key_).value());
    TrustSource source;
    source.key = dir_ / "cosign.pub";
    material_ = load_trust_material(source, kNow).value();
    fs::create_directories(source_dir());
  }
  fs::path source_dir() const { return dir_ / "source"; }

  // The chart copied into the source as FILE, with a .sig by `key` unless unsigned.
  void add(const fs::path& chart, const std::string& file, const crypto::PKey* key) {
    fs::copy_file(chart, source_dir() / file);
    if (key == nullptr) return;
    const std::string bytes = test::read_text(chart);
    const Bytes sig = sign_blob(*key, as_bytes(bytes)).value();
    test::write_text(source_dir() / (file + ".sig"), cosign::encode_signature_file(sig));
  }

  // The reviews' namespace, demo, bound to `environment` ("": bound to none);
  // `admission` is production's admission: section ("": none).
  static policy::Policy policy(const std::string& environment = "production", const std::string& admission = "") {
    const std::string binding = environment.empty() ? "  - namespace: kube-*\n    environment: production\n"
                                                    : "  - namespace: demo\n    environment: " + environment + "\n";
    const std::string production_admission = admission.empty() ? "" : "    admission: " + admission + "\n";
    return policy::parse_policy(
               "version: 1\nnamespaces:\n" + binding +
                   "environments:\n"
                   "  production:\n    mode: enforce\n" +
                   production_admission +
                   "    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n"
                   "  staging:\n    mode: warn\n    rules:\n      - charts: [\"*\"]\n        signers: [\"*\"]\n"
                   "  sandbox:\n    mode: off\n",
               "policy.yaml")
        .value();
  }

  test::TempDir dir_;
  crypto::PKey key_;
  TrustMaterial material_;
};

// The real helm renders for every test of the binary (one cache).
inline const ManifestRenderer& helm_renderer() {
  static const std::unique_ptr<ManifestRenderer> renderer = [] {
    HelmRendererOptions options;
    options.helm = test::kHelm;
    auto made = make_helm_renderer(options);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? std::move(made).value() : nullptr;
  }();
  return *renderer;
}

// `helm ARGS...` with its state, plugins and (absent) kubeconfig under `state`.
inline process::ProcessResult run_helm(const std::vector<std::string>& args, const fs::path& state) {
  process::ProcessLimits limits;
  limits.inherit_env = false;
  limits.extra_env = {"HOME=" + state.string(),
                      "HELM_CACHE_HOME=" + (state / "cache").string(),
                      "HELM_CONFIG_HOME=" + (state / "config").string(),
                      "HELM_DATA_HOME=" + (state / "data").string(),
                      "HELM_PLUGINS=" + (state / "plugins").string(),
                      "KUBECONFIG=" + (state / "none").string(),
                      "PATH=/usr/bin:/bin"};
  std::vector<std::string> argv = {test::kHelm};
  argv.insert(argv.end(), args.begin(), args.end());
  auto ran = process::run_process(argv, {}, limits);
  EXPECT_TRUE(ran.ok()) << (ran.ok() ? "" : ran.error().message);
  EXPECT_EQ(ran.ok() ? ran->exit_code : -1, 0) << (ran.ok() ? ran->err : "");
  return ran.ok() ? std::move(ran).value() : process::ProcessResult{};
}

// The release record the real helm makes for `helm install NAME CHART -n demo ARGS...`.
inline nlohmann::json dry_run_release(const std::string& name, const fs::path& chart, const fs::path& state,
                                      const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {"install", name, chart.string(), "-n", "demo", "--dry-run=client", "-o", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  return nlohmann::json::parse(run_helm(argv, state).out);
}

// `release` stored as Helm's secret driver stores it (base64 of Helm's
// base64(gzip(JSON)); FORMAT.md §1-2), in a CREATE review for namespace demo.
inline std::string create_review(nlohmann::json release, const std::string& uid) {
  release["info"]["status"] = "pending-install";
  const std::string json = release.dump();
  auto deflater = archive::GzipDeflater::create(9).value();
  EXPECT_TRUE(deflater.write(as_bytes(json)).ok());
  const Bytes gz = deflater.finish().value();
  const std::string inner = base64_encode(gz);
  const std::string name = release["name"].get<std::string>();
  const std::string version = std::to_string(release["version"].get<int>());
  const nlohmann::json object = {
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"type", "helm.sh/release.v1"},
      {"metadata",
       {{"name", "sh.helm.release.v1." + name + ".v" + version},
        {"namespace", "demo"},
        {"labels", {{"name", name}, {"owner", "helm"}, {"status", "pending-install"}, {"version", version}}}}},
      {"data", {{"release", base64_encode(as_bytes(inner))}}}};
  const nlohmann::json review = {{"apiVersion", "admission.k8s.io/v1"},
                                 {"kind", "AdmissionReview"},
                                 {"request",
                                  {{"uid", uid},
                                   {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Secret"}}},
                                   {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "secrets"}}},
                                   {"name", object["metadata"]["name"]},
                                   {"namespace", "demo"},
                                   {"operation", "CREATE"},
                                   {"object", object},
                                   {"oldObject", nullptr},
                                   {"dryRun", false}}}};
  return review.dump();
}

}  // namespace chartprov::app::admission_test
