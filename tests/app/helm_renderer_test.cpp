// The renderer of the admission webhook's manifest check
// (app/admission/manifest_renderer.hpp): the real helm (a peer), its
// refusals, and the bounded cache in front of it.
#include <atomic>
#include <thread>

#include "app/admission/manifest_renderer.hpp"
#include "chart/peer_helm.hpp"
#include "infra/openssl/digest.hpp"
#include "release/release_test_support.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;
using test::release_data;

std::unique_ptr<ManifestRenderer> uncached_helm() {
  HelmRendererOptions options;
  options.helm = test::kHelm;
  options.cache_entries = 0;
  auto made = make_helm_renderer(options);
  EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
  return std::move(made).value();
}

// A request for the vectors' plain chart, from a private copy.
class PlainChart : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy_file(release_data("charts/plain-0.1.0.tgz"), dir_ / "plain.tgz");
    const std::string bytes = test::read_text(dir_ / "plain.tgz");
    request_.chart = dir_ / "plain.tgz";
    request_.chart_digest = "sha256:" + hex_encode(crypto::sha256(as_bytes(bytes)));
    request_.release_name = "web";
    request_.namespace_name = "demo";
    request_.values = nlohmann::json::object();
  }
  test::TempDir dir_;
  RenderRequest request_;
};

TEST_F(PlainChart, HelmRendererRefusesWhatItCannotRenderFrom) {
  HelmRendererOptions options;
  options.helm = "/nonexistent/helm";
  EXPECT_FALSE(make_helm_renderer(options).ok());
  options.helm = "/bin/true";  // runs, but is not helm v3 or v4
  EXPECT_FALSE(make_helm_renderer(options).ok());
  options.helm = test::kHelm;
  options.kube_version = "--set=x";
  EXPECT_FALSE(make_helm_renderer(options).ok());
  options.kube_version = "v1.31.2";
  options.api_versions = {"monitoring.coreos.com/v1", "a b"};
  EXPECT_FALSE(make_helm_renderer(options).ok());
  options.api_versions = {"monitoring.coreos.com/v1"};
  options.cache_entries = 0;
  const auto helm = make_helm_renderer(options);
  ASSERT_TRUE(helm.ok()) << helm.error().message;
  EXPECT_EQ((*helm)->describe().rfind("helm v4.", 0), 0u) << (*helm)->describe();

  const RenderRequest& request = request_;
  const auto ok = (*helm)->render(request);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->text.rfind("---\n# Source: plain/templates/serviceaccount.yaml\n", 0), 0u);

  RenderRequest wrong = request;
  wrong.chart_digest = "sha256:" + std::string(64, '0');
  EXPECT_EQ((*helm)->render(wrong).error().message, "helm template: the verified copy is not the bytes that verified");
  wrong = request;
  wrong.values = nlohmann::json::array();
  EXPECT_EQ((*helm)->render(wrong).error().message, "helm template: the values are not a JSON object");
  wrong = request;
  wrong.release_name = "-Not_A_Name";  // after "--": a name, never a flag, and helm refuses it
  const auto refused = (*helm)->render(wrong);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.rfind("helm template failed: Error: ", 0), 0u) << refused.error().message;
  EXPECT_NE(refused.error().message.find("invalid release name"), std::string::npos) << refused.error().message;
}

// Counts the renderings that reach the inner renderer.
class CountingRenderer final : public ManifestRenderer {
 public:
  CountingRenderer(std::unique_ptr<ManifestRenderer> inner, std::atomic<int>& count)
      : inner_(std::move(inner)), count_(count) {}
  Result<RenderedManifest> render(const RenderRequest& request) const override {
    ++count_;
    return inner_->render(request);
  }
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<ManifestRenderer> inner_;
  std::atomic<int>& count_;
};

TEST_F(PlainChart, TheCacheRendersEachRequestOnceWithinItsBounds) {
  std::atomic<int> runs{0};
  const auto cached = make_caching_renderer(std::make_unique<CountingRenderer>(uncached_helm(), runs), 2, 1u << 20);
  EXPECT_EQ(cached->describe().rfind("cached helm v", 0), 0u) << cached->describe();
  const auto first = cached->render(request_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(cached->render(request_)->text, first->text);
  EXPECT_EQ(runs.load(), 1);
  RenderRequest moved = request_;  // another path to the same bytes: the digest is the key
  fs::copy_file(request_.chart, dir_ / "again.tgz");
  moved.chart = dir_ / "again.tgz";
  EXPECT_TRUE(cached->render(moved).ok());
  EXPECT_EQ(runs.load(), 1);
  // Every other input is another rendering.
  for (const auto& change : std::vector<std::function<void(RenderRequest&)>>{
           [](RenderRequest& r) {
             r.values = {{"replicaCount", 2}};
           },
           [](RenderRequest& r) { r.release_name = "web2"; }, [](RenderRequest& r) { r.namespace_name = "prod"; },
           [](RenderRequest& r) { r.is_upgrade = true; }, [](RenderRequest& r) { r.hooks = false; },
           [](RenderRequest& r) { r.run = 1; }}) {
    RenderRequest other = request_;
    change(other);
    const int before = runs.load();
    EXPECT_TRUE(cached->render(other).ok());
    EXPECT_EQ(runs.load(), before + 1);
  }
  // Two entries at most: the first request was dropped long ago.
  const int before = runs.load();
  EXPECT_TRUE(cached->render(request_).ok());
  EXPECT_EQ(runs.load(), before + 1);
  // A failure is not kept.
  RenderRequest bad = request_;
  bad.values = nlohmann::json::array();
  EXPECT_FALSE(cached->render(bad).ok());
  EXPECT_FALSE(cached->render(bad).ok());
  EXPECT_EQ(runs.load(), before + 3);
}

TEST_F(PlainChart, ConcurrentRequestsForOneRenderingRunHelmOnce) {
  std::atomic<int> runs{0};
  const auto cached = make_caching_renderer(std::make_unique<CountingRenderer>(uncached_helm(), runs), 8, 1u << 20);
  std::vector<std::thread> workers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      if (cached->render(request_).ok()) ++ok;
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(runs.load(), 1);
}

TEST_F(PlainChart, ARenderingLargerThanTheCacheIsNotKept) {
  std::atomic<int> runs{0};
  const auto cached = make_caching_renderer(std::make_unique<CountingRenderer>(uncached_helm(), runs), 8, 64);
  EXPECT_TRUE(cached->render(request_).ok());
  EXPECT_TRUE(cached->render(request_).ok());
  EXPECT_EQ(runs.load(), 2);
}

}  // namespace
}  // namespace chartprov::app
