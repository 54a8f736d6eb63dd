// The admission webhook's manifest check (app/admission/manifest_check.hpp)
// on records the real helm made (`helm install --dry-run=client -o json`, no
// cluster), of charts packaged by helm and signed here: a chart that draws a
// random value, one that renders a value through `tpl`, a post-renderer that
// edits the manifest; what the policy's admission: section decides; that a
// repeated or status-only request does not run helm again.
#include "app/admission/manifest_check.hpp"

#include <atomic>

#include "app/admission/admit.hpp"
#include "app/admission/manifest_renderer.hpp"
#include "app/admission_fixture.hpp"

namespace chartprov::app {
namespace {

using admission_test::ChartStoreTest;
using admission_test::create_review;
using admission_test::dry_run_release;
using admission_test::helm_renderer;
using admission_test::kNow;
using admission_test::run_helm;
using test::release_data;

namespace fs = std::filesystem;

// A chart directory NAME with Chart.yaml and the given templates.
fs::path write_chart(const fs::path& dir, const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& templates) {
  fs::path chart = dir / name;
  fs::create_directories(chart / "templates");
  test::write_text(chart / "Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n");
  for (const auto& [file, text] : templates) test::write_text(chart / "templates" / file, text);
  return chart;
}

const char* const kConfigMap =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-plain\ndata:\n  a: \"1\"\n";

class ManifestCheckTest : public ChartStoreTest {
 protected:
  void SetUp() override {
    ChartStoreTest::SetUp();
    state_ = dir_ / "helm";
    fs::create_directories(state_);
    const fs::path charts = dir_ / "charts";
    // Draws a password at every rendering.
    write_chart(charts, "rnd",
                {{"configmap.yaml", kConfigMap},
                 {"secret.yaml",
                  "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-pw\n"
                  "stringData:\n  password: {{ randAlphaNum 24 | quote }}\n"}});
    // Renders a value as a template: nothing to see in the chart, the values decide.
    write_chart(charts, "tpl",
                {{"configmap.yaml",
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-tpl\n"
                  "data:\n  v: {{ tpl (.Values.v | default \"x\") . | quote }}\n"},
                 {"hook.yaml",
                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n"
                  "    helm.sh/hook: pre-install\ndata:\n  h: {{ tpl (.Values.h | default \"x\") . | quote }}\n"}});
    for (const char* name : {"rnd", "tpl"}) {
      run_helm({"package", (charts / name).string(), "-d", charts.string()}, state_);
      add(charts / (std::string(name) + "-0.1.0.tgz"), std::string(name) + "-0.1.0.tgz", &key_);
    }
    add(release_data("charts/plain-0.1.0.tgz"), "plain-0.1.0.tgz", &key_);
    add(release_data("charts/parent-0.1.0.tgz"), "parent-0.1.0.tgz", &key_);
  }

  // admit() of `review` under production with `admission` (its admission: section, "" for none).
  AdmissionOutcome answer(const std::string& review, const std::string& admission = "",
                          const ManifestRenderer* renderer = &helm_renderer()) {
    policy_ = policy("production", admission);
    auto store = load_chart_store(source_dir(), policy_, "production", material_, kNow);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    if (!store.ok()) return {};
    EXPECT_EQ(store->charts.size(), 4u);
    store_ = std::move(store).value();
    AdmissionConfig config;
    config.policy = &policy_;
    config.stores = {{"production", &store_}};
    config.renderer = renderer;
    auto out = admit(as_bytes(review), config);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? std::move(out).value() : AdmissionOutcome{};
  }

  std::string chart(const std::string& name) const { return (source_dir() / (name + "-0.1.0.tgz")).string(); }

  fs::path state_;
  policy::Policy policy_;
  ChartStore store_;
};

TEST_F(ManifestCheckTest, ARandomChartIsNotReproducibleAndThePolicyDecides) {
  const std::string review = create_review(dry_run_release("pw", chart("rnd"), state_), "uid-rnd");
  const AdmissionOutcome denied = answer(review);
  EXPECT_EQ(denied.judgement.verdict, release::RecordVerdict::kChartMatches);
  ASSERT_TRUE(denied.manifest);
  EXPECT_EQ(denied.manifest->verdict, ManifestVerdict::kNotReproducible);
  ASSERT_TRUE(denied.manifest->finding);
  EXPECT_EQ(denied.manifest->finding->cause, release::Unreproducible::kRandom);
  EXPECT_FALSE(denied.response.allowed);
  EXPECT_EQ(denied.response.message,
            "chartprov: release pw: the manifest is not chart rnd 0.1.0 rendered with the release's values, and that "
            "chart cannot be rendered reproducibly: rnd/templates/secret.yaml uses randAlphaNum, which draws random "
            "values, new at every rendering");

  const AdmissionOutcome fallback = answer(review, "{unreproducible: chart-only}");
  EXPECT_TRUE(fallback.response.allowed) << fallback.response.message;
  ASSERT_EQ(fallback.response.warnings.size(), 1u);
  EXPECT_NE(fallback.response.warnings[0].find("the manifest was not checked (admission: unreproducible: chart-only)"),
            std::string::npos)
      << fallback.response.warnings[0];
  EXPECT_NE(fallback.response.warnings[0].find("randAlphaNum"), std::string::npos);

  const AdmissionOutcome chart_only = answer(review, "{manifest: chart-only}");
  EXPECT_TRUE(chart_only.response.allowed) << chart_only.response.message;
  EXPECT_FALSE(chart_only.manifest);  // never rendered
}

TEST_F(ManifestCheckTest, AChartThatRendersDifferentlyEachTimeIsToldByRenderingTwice) {
  // The scan sees no call: the random value comes in through the values and tpl. In a
  // document of the manifest, the --no-hooks run and the full run disagree; in a hook
  // only, a second full rendering tells it.
  const std::string random = "\"{{ randAlphaNum 24 }}\"\n";
  test::write_text(dir_ / "in-manifest.yaml", "v: " + random);
  test::write_text(dir_ / "in-hook.yaml", "h: " + random);
  test::write_text(dir_ / "fixed.yaml", "v: \"{{ .Release.Name }}\"\nh: \"{{ .Release.Namespace }}\"\n");
  for (const auto& [values, source] : {std::pair{"in-manifest.yaml", "tpl/templates/configmap.yaml"},
                                       std::pair{"in-hook.yaml", "tpl/templates/hook.yaml"}}) {
    const auto release = dry_run_release("tv", chart("tpl"), state_, {"-f", (dir_ / values).string()});
    const AdmissionOutcome out = answer(create_review(release, "uid-tpl"));
    ASSERT_TRUE(out.manifest) << values;
    EXPECT_EQ(out.manifest->verdict, ManifestVerdict::kNotReproducible) << values;
    EXPECT_FALSE(out.manifest->finding) << values;
    EXPECT_EQ(out.manifest->source, source);
    EXPECT_FALSE(out.response.allowed) << values;
    EXPECT_EQ(out.response.message, std::string("chartprov: release tv: two renderings of chart tpl 0.1.0 with the "
                                                "release's values differ, so its manifest cannot be checked (first "
                                                "at ") +
                                        source + ")");
  }
  // The same chart with values that render the same every time is admitted.
  const auto fixed = dry_run_release("tv", chart("tpl"), state_, {"-f", (dir_ / "fixed.yaml").string()});
  const AdmissionOutcome ok = answer(create_review(fixed, "uid-tpl-fixed"));
  EXPECT_TRUE(ok.response.allowed) << ok.response.message;
}

TEST_F(ManifestCheckTest, APostRendererIsSeenOnlyInTheManifestAndDenied) {
  // A real helm v4 post-renderer plugin that adds a comment line to the Service.
  const fs::path plugin = state_ / "plugins" / "mark";
  fs::create_directories(plugin);
  test::write_text(plugin / "plugin.yaml",
                   "apiVersion: v1\ntype: postrenderer/v1\nname: mark\nversion: 0.1.0\nruntime: subprocess\n"
                   "runtimeConfig:\n  platformCommand:\n    - command: ${HELM_PLUGIN_DIR}/run.sh\n");
  test::write_text(plugin / "run.sh", "#!/bin/sh\nexec sed 's/^kind: Service$/kind: Service\\n# post-rendered/'\n");
  fs::permissions(plugin / "run.sh", fs::perms::owner_all);
  const auto release = dry_run_release("web", chart("plain"), state_, {"--post-renderer", "mark"});
  ASSERT_NE(release["manifest"].get<std::string>().find("# post-rendered"), std::string::npos);
  const AdmissionOutcome out = answer(create_review(release, "uid-post"));
  EXPECT_EQ(out.judgement.verdict, release::RecordVerdict::kChartMatches);  // the chart object is the verified one
  ASSERT_TRUE(out.manifest);
  EXPECT_EQ(out.manifest->verdict, ManifestVerdict::kDiffers);
  EXPECT_FALSE(out.response.allowed);
  EXPECT_EQ(out.response.message,
            "chartprov: release web: the manifest is not chart plain 0.1.0 rendered with the release's values, first "
            "at plain/templates/service.yaml");
  // Even where a non-reproducible chart falls back to the chart object: the chart is reproducible.
  EXPECT_FALSE(answer(create_review(release, "uid-post2"), "{unreproducible: chart-only}").response.allowed);
  // Without the post-renderer, the same install is admitted.
  const AdmissionOutcome plain = answer(create_review(dry_run_release("web", chart("plain"), state_), "uid-plain"));
  EXPECT_TRUE(plain.response.allowed) << plain.response.message;
}

TEST_F(ManifestCheckTest, ChartOnlyAdmitsNoSubchartsAndNoRendererRefuses) {
  const std::string parent =
      test::read_text(release_data("reviews/04-create-install-parent-vendored-subchart-helm4.json"));
  const std::string plain = test::read_text(release_data("reviews/01-create-install-plain-helm4.json"));
  const AdmissionOutcome chart_only = answer(parent, "{manifest: chart-only}");
  EXPECT_FALSE(chart_only.response.allowed);
  EXPECT_NE(chart_only.response.message.find("only the manifest shows them, and environment production does not "
                                             "check it (admission: manifest: chart-only)"),
            std::string::npos)
      << chart_only.response.message;
  EXPECT_TRUE(answer(plain, "{manifest: chart-only}").response.allowed);
  for (const std::string* review : {&parent, &plain}) {
    const AdmissionOutcome none = answer(*review, "", nullptr);
    EXPECT_FALSE(none.response.allowed);
    ASSERT_TRUE(none.manifest);
    EXPECT_EQ(none.manifest->verdict, ManifestVerdict::kNoRenderer);
    EXPECT_NE(none.response.message.find("the manifest check is required, but no renderer (helm) is configured"),
              std::string::npos)
        << none.response.message;
  }
}

// Counts the renderings that reach helm.
class CountingRenderer final : public ManifestRenderer {
 public:
  CountingRenderer(const ManifestRenderer& inner, std::atomic<int>& count) : inner_(inner), count_(count) {}
  Result<RenderedManifest> render(const RenderRequest& request) const override {
    ++count_;
    return inner_.render(request);
  }
  std::string describe() const override { return inner_.describe(); }

 private:
  const ManifestRenderer& inner_;
  std::atomic<int>& count_;
};

TEST_F(ManifestCheckTest, ARepeatedOrStatusOnlyRequestDoesNotRunHelmAgain) {
  HelmRendererOptions options;
  options.helm = test::kHelm;
  options.cache_entries = 0;
  const auto helm = make_helm_renderer(options).value();
  std::atomic<int> runs{0};
  const auto cached = make_caching_renderer(std::make_unique<CountingRenderer>(*helm, runs), 16, 1u << 20);
  const std::string install = test::read_text(release_data("reviews/01-create-install-plain-helm4.json"));
  const std::string deployed =
      test::read_text(release_data("reviews/26-update-install-pending-to-deployed-helm4.json"));
  EXPECT_TRUE(answer(install, "", cached.get()).response.allowed);
  EXPECT_EQ(runs.load(), 2);  // --no-hooks, then with hooks
  EXPECT_TRUE(answer(install, "", cached.get()).response.allowed);
  const AdmissionOutcome update = answer(deployed, "", cached.get());
  EXPECT_TRUE(update.response.allowed) << update.response.message;
  EXPECT_TRUE(update.judgement.status_only);
  EXPECT_EQ(runs.load(), 2);
  // Another release name is another rendering.
  EXPECT_TRUE(
      answer(create_review(dry_run_release("other", chart("plain"), state_), "u"), "", cached.get()).response.allowed);
  EXPECT_EQ(runs.load(), 4);
}

}  // namespace
}  // namespace chartprov::app
