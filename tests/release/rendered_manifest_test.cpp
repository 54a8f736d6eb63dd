// The manifest check's comparison (release/rendered_manifest.hpp): a
// record's manifest and hooks against `helm template` output, byte for byte.
// The records are the real ones Helm wrote (tests/data/helm-release); the
// outputs are what helm template prints for them (manifest, then each hook
// as "---\n# Source: <path>\n<manifest>\n"), which the admission tests check
// against the real helm.
#include "release/rendered_manifest.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "release/release_model.hpp"
#include "release/release_test_support.hpp"

namespace chartprov::release {
namespace {

Release real_release(const std::string& file) {
  const auto json = nlohmann::json::parse(test::read_text(test::release_data("releases/" + file)));
  return read_release(json).value();
}

void replace_once(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
}

TEST(SplitManifest, ReadsTheFormHelmWrites) {
  const auto none = split_manifest("");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  const auto two = split_manifest("---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nb\n");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].path, "c/templates/a.yaml");
  EXPECT_EQ((*two)[0].body, "kind: A");
  EXPECT_EQ((*two)[1].path, "c/templates/b.yaml");
  EXPECT_EQ((*two)[1].body, "b");
  const auto empty_body = split_manifest("---\n# Source: a\n\n---\n# Source: b\nx\n");
  ASSERT_TRUE(empty_body);
  ASSERT_EQ(empty_body->size(), 2u);
  EXPECT_EQ((*empty_body)[0].body, "");
  // A "---" line that does not start a "# Source:" document stays in the body.
  const auto inner = split_manifest("---\n# Source: a\nx\n---\ny\n");
  ASSERT_TRUE(inner);
  ASSERT_EQ(inner->size(), 1u);
  EXPECT_EQ((*inner)[0].body, "x\n---\ny");
}

TEST(SplitManifest, RefusesWhatHelmDoesNotWrite) {
  EXPECT_FALSE(split_manifest("\n"));
  EXPECT_FALSE(split_manifest("kind: A\n"));
  EXPECT_FALSE(split_manifest("---\nkind: A\n"));
  EXPECT_FALSE(split_manifest("---\n# Source: a\nx"));  // no final "\n"
  EXPECT_FALSE(split_manifest("---\n# Source: a\n"));   // no body line
  EXPECT_FALSE(split_manifest("---\n# Source: a"));
  EXPECT_FALSE(split_manifest(" ---\n# Source: a\nx\n"));
  EXPECT_TRUE(is_template_manifest_output("\n"));
  EXPECT_TRUE(is_template_manifest_output("---\n# Source: a\nx\n"));
  EXPECT_FALSE(is_template_manifest_output(""));
  EXPECT_FALSE(is_template_manifest_output("\n\n"));
  EXPECT_FALSE(is_template_manifest_output("Error: x\n"));
}

class RealRecord : public ::testing::Test {
 protected:
  // The trusted parent chart's real install record (a vendored subchart, two test hooks).
  Release r = real_release("parent.helm4.release.json");
  std::string manifest_only() const { return r.manifest; }
  std::string full() const { return r.manifest + hooks_text(r.hooks); }
};

TEST_F(RealRecord, TheRecordsOwnRenderingIsTheSame) {
  ASSERT_EQ(r.hooks.size(), 2u);
  const auto same = compare_rendering(r.manifest, r.hooks, manifest_only(), full());
  EXPECT_EQ(same.match, ManifestMatch::kSame);
  EXPECT_EQ(same.source, "");
}

TEST_F(RealRecord, AnEditedSubchartDocumentIsNamed) {
  std::string tampered = r.manifest;
  replace_once(tampered, "      serviceAccountName: shop-sub\n",
               "      hostNetwork: true\n      serviceAccountName: shop-sub\n");
  const auto c = compare_rendering(tampered, r.hooks, manifest_only(), full());
  EXPECT_EQ(c.match, ManifestMatch::kDiffers);
  EXPECT_EQ(c.source, "parent/charts/sub/templates/deployment.yaml");
  EXPECT_TRUE(c.record_form);
}

TEST_F(RealRecord, AnEditedHookIsNamed) {
  std::vector<RecordHook> hooks = r.hooks;
  replace_once(hooks[1].manifest, "image: busybox", "image: evil/busybox");
  const auto c = compare_rendering(r.manifest, hooks, manifest_only(), full());
  EXPECT_EQ(c.match, ManifestMatch::kDiffers);
  EXPECT_EQ(c.source, "parent/templates/tests/test-connection.yaml");
}

TEST_F(RealRecord, AHookMovedIntoTheManifestDiffers) {
  // The concatenation is unchanged; the split between manifest and hooks is not.
  const std::string moved = r.manifest + hooks_text({r.hooks[0]});
  const std::vector<RecordHook> rest = {r.hooks[1]};
  const auto c = compare_rendering(moved, rest, manifest_only(), full());
  EXPECT_EQ(c.match, ManifestMatch::kDiffers);
  EXPECT_EQ(c.source, "parent/charts/sub/templates/tests/test-connection.yaml");
}

TEST_F(RealRecord, ReorderedDroppedOrAddedDocumentsDiffer) {
  auto split = split_manifest(r.manifest);
  ASSERT_TRUE(split);
  auto docs = *split;
  const auto write = [](const std::vector<ManifestDocument>& d) {
    std::string out;
    for (const auto& doc : d) out += "---\n# Source: " + doc.path + "\n" + doc.body + "\n";
    return out;
  };
  std::swap(docs[0], docs[1]);
  auto c = compare_rendering(write(docs), r.hooks, manifest_only(), full());
  EXPECT_EQ(c.match, ManifestMatch::kDiffers);
  EXPECT_EQ(c.source, docs[0].path);
  std::swap(docs[0], docs[1]);
  const ManifestDocument last = docs.back();
  docs.pop_back();
  c = compare_rendering(write(docs), r.hooks, manifest_only(), full());
  EXPECT_EQ(c.source, last.path);  // the record lacks it: the rendered document's path
  docs.push_back(last);
  docs.push_back({"parent/templates/extra.yaml", "kind: Secret"});
  c = compare_rendering(write(docs), r.hooks, manifest_only(), full());
  EXPECT_EQ(c.source, "parent/templates/extra.yaml");
  EXPECT_EQ(compare_rendering(r.manifest + "\n", r.hooks, manifest_only(), full()).match, ManifestMatch::kDiffers);
  EXPECT_EQ(compare_rendering(r.manifest, {}, manifest_only(), full()).source,
            "parent/charts/sub/templates/tests/test-connection.yaml");
}

TEST_F(RealRecord, AManifestWithoutSourceLinesIsNotInHelmsForm) {
  // What a post-renderer that drops comments leaves: the same objects, not Helm's text.
  const auto docs = split_manifest(r.manifest);
  ASSERT_TRUE(docs);
  std::string stripped;
  for (const auto& doc : *docs) stripped += "---\n" + doc.body + "\n";
  const auto c = compare_rendering(stripped, r.hooks, manifest_only(), full());
  EXPECT_EQ(c.match, ManifestMatch::kDiffers);
  EXPECT_FALSE(c.record_form);
  EXPECT_EQ(c.source, "");
}

TEST_F(RealRecord, TwoRunsThatDisagreeAreNamed) {
  std::string other = full();
  replace_once(other, "replicas: 2", "replicas: 3");  // the subchart's deployment, in the full run only
  const auto c = compare_rendering(r.manifest, r.hooks, manifest_only(), other);
  EXPECT_EQ(c.match, ManifestMatch::kRunsDisagree);
  EXPECT_EQ(c.source, "parent/charts/sub/templates/deployment.yaml");
  EXPECT_EQ(first_differing_source(full(), other), "parent/charts/sub/templates/deployment.yaml");
  EXPECT_EQ(first_differing_source(full(), full()), "");
}

TEST(ReadRelease, HooksKeepTheirManifestsAndAManifestMustBeAString) {
  auto json = nlohmann::json::parse(test::read_text(test::release_data("releases/parent.helm4.release.json")));
  const Release r = read_release(json).value();
  ASSERT_EQ(r.hooks.size(), 2u);
  EXPECT_EQ(r.hooks[0].path, "parent/charts/sub/templates/tests/test-connection.yaml");
  EXPECT_EQ(r.hooks[0].manifest.rfind("apiVersion: v1\nkind: Pod\n", 0), 0u);
  json["hooks"][0]["manifest"] = 5;
  const auto refused = read_release(json);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "release: hooks[].manifest is not a string");
  json["hooks"][0].erase("manifest");
  json["hooks"][0]["Manifest"] = "x";  // Go would read it as manifest
  EXPECT_FALSE(read_release(json).ok());
}

TEST(CompareRendering, NothingRenderedIsAnEmptyManifest) {
  // helm template prints "\n" when no document is rendered, and then the hooks.
  const std::vector<RecordHook> hook = {{"c/templates/job.yaml", "kind: Job"}};
  EXPECT_EQ(compare_rendering("", {}, "\n", "\n").match, ManifestMatch::kSame);
  EXPECT_EQ(compare_rendering("", hook, "\n", "\n---\n# Source: c/templates/job.yaml\nkind: Job\n").match,
            ManifestMatch::kSame);
  EXPECT_EQ(compare_rendering("\n", {}, "\n", "\n").match, ManifestMatch::kDiffers);  // Helm writes ""
  EXPECT_EQ(compare_rendering("", {}, "\n", "\n---\n# Source: c/templates/job.yaml\nkind: Job\n").source,
            "c/templates/job.yaml");
}

}  // namespace
}  // namespace chartprov::release
