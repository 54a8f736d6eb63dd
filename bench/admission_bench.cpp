// The admission webhook's decision in-process (issue 15): app::admit() on
// real AdmissionReview requests (tests/data/helm-release/reviews) against a
// store of the charts those records were made from, signed here with a fresh
// cosign key, as tests/app/admission_test.cpp builds it. What a warm /validate
// costs without TLS, HTTP and the record of the decision (bench/admission_load
// measures those around it); and the store build per chart, what a chart
// costs at start and SIGHUP (and what a miss will cost once charts are fetched).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include "app/admission/admit.hpp"
#include "app/admission/chart_store.hpp"
#include "app/admission/manifest_renderer.hpp"
#include "app/sign/blob_signer.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "policy/policy.hpp"
#include "release/admission_review.hpp"
#include "util/file.hpp"
#include "util/temp_dir.hpp"

namespace {

using namespace chartprov;
namespace fs = std::filesystem;

const fs::path kData = fs::path(CHARTPROV_BENCH_DATA) / "helm-release";
const char* const kCharts[] = {"plain-0.1.0.tgz", "parent-0.1.0.tgz", "withschema-0.1.0.tgz"};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "admission_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

// A source directory with the three charts signed by a fresh key, the trust
// material of its public half, and the policy binding namespace demo to production.
struct Setup {
  TempDir dir = must(TempDir::create("chartprov-admission-bench"), "temp dir");
  policy::Policy policy;
  app::TrustMaterial material;
  app::ChartStore store;
  app::AdmissionConfig config;
  std::unique_ptr<app::ManifestRenderer> renderer;
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));

  Setup() {
    const crypto::PKey key = must(crypto::generate_key("ecdsa-p256"), "key");
    const fs::path pub = dir.path() / "cosign.pub";
    if (!atomic_write(pub, must(crypto::public_key_pem(key), "public key"))) die("write cosign.pub");
    fs::create_directories(source());
    for (const char* chart : kCharts) {
      const Bytes bytes = must(read_file(kData / "charts" / chart, 1 << 20), chart);
      if (!atomic_write(source() / chart, ByteView(bytes))) die("write chart");
      const Bytes sig = must(app::sign_blob(key, bytes), "sign");
      if (!atomic_write(source() / (std::string(chart) + ".sig"), cosign::encode_signature_file(sig)))
        die("write .sig");
    }
    app::TrustSource trust;
    trust.key = pub;
    material = must(app::load_trust_material(trust, now), "trust material");
    policy = must(policy::parse_policy("version: 1\nnamespaces:\n  - namespace: demo\n    environment: production\n"
                                       "environments:\n  production:\n    mode: enforce\n    rules:\n"
                                       "      - charts: [\"*\"]\n        signers: [\"*\"]\n",
                                       "policy.yaml"),
                  "policy");
    store = must(app::load_chart_store(source(), policy, "production", material, now), "store");
    if (store.charts.size() != 3) die("the store holds " + std::to_string(store.charts.size()) + " charts, not 3");
    config.policy = &policy;
    config.stores = {{"production", &store}};
    // The manifest check renders with the real helm ($CHARTPROV_HELM, else the peers' helm);
    // warm, a review is a render-cache hit, as in the running webhook.
    app::HelmRendererOptions helm;
    const char* from_env = std::getenv("CHARTPROV_HELM");
    helm.helm = from_env != nullptr ? from_env : "/opt/peers/bin/helm";
    renderer = must(app::make_helm_renderer(helm), "helm renderer");
    config.renderer = renderer.get();
  }
  fs::path source() const { return dir.path() / "source"; }
};

Setup& setup() {
  static Setup s;
  return s;
}

std::string review(const std::string& file) { return must(read_text_file(kData / "reviews" / file), file.c_str()); }

// admit() on one review, checked once for the verdict the review must get.
void admit_case(benchmark::State& state, const std::string& file, bool allowed) {
  Setup& s = setup();
  const std::string body = review(file);
  const auto first = app::admit(as_bytes(body), s.config);
  if (!first || first->response.allowed != allowed || !first->judged) {
    state.SkipWithError("not the expected verdict");
    return;
  }
  for (auto _ : state) {
    auto out = app::admit(as_bytes(body), s.config);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

void BM_Admit_Allowed_01(benchmark::State& s) { admit_case(s, "01-create-install-plain-helm4.json", true); }
void BM_Admit_Denied_10(benchmark::State& s) { admit_case(s, "10-create-install-tampered-template-helm4.json", false); }
void BM_Admit_Update_26(benchmark::State& s) {
  admit_case(s, "26-update-install-pending-to-deployed-helm4.json", true);
}

// The parts of admit(): reading the AdmissionReview JSON (what a review that
// is not a release costs, nearly), and the answer's JSON.
void BM_ParseAdmissionReview_01(benchmark::State& state) {
  const std::string body = review("01-create-install-plain-helm4.json");
  for (auto _ : state) {
    auto r = release::parse_admission_review(as_bytes(body));
    benchmark::DoNotOptimize(r);
  }
}
void BM_Admit_NotARelease_16(benchmark::State& state) {
  Setup& s = setup();
  const std::string body = review("16-create-non-helm-secret.json");
  for (auto _ : state) {
    auto out = app::admit(as_bytes(body), s.config);
    benchmark::DoNotOptimize(out);
  }
}
void BM_BuildAdmissionResponse_Denied(benchmark::State& state) {
  Setup& s = setup();
  const auto out = app::admit(as_bytes(review("10-create-install-tampered-template-helm4.json")), s.config);
  if (!out) {
    state.SkipWithError("admit failed");
    return;
  }
  for (auto _ : state) {
    auto json = release::build_admission_response(out->response);
    benchmark::DoNotOptimize(json);
  }
}

// The store of the three charts built again: decide() on each (the cosign
// signature, the archive checks, the private copy) and the verified bytes read
// as Helm loads a chart. Per chart: divide by 3.
void BM_LoadChartStore_3Charts(benchmark::State& state) {
  Setup& s = setup();
  for (auto _ : state) {
    auto store = app::load_chart_store(s.source(), s.policy, "production", s.material, s.now);
    if (!store || store->charts.size() != 3) state.SkipWithError("store");
    benchmark::DoNotOptimize(store);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 3));
}

BENCHMARK(BM_Admit_Allowed_01);
BENCHMARK(BM_Admit_Denied_10);
BENCHMARK(BM_Admit_Update_26);
BENCHMARK(BM_Admit_NotARelease_16);
BENCHMARK(BM_ParseAdmissionReview_01);
BENCHMARK(BM_BuildAdmissionResponse_Denied);
BENCHMARK(BM_LoadChartStore_3Charts)->Unit(benchmark::kMillisecond);

}  // namespace
