#include <gtest/gtest.h>

#include "oci/manifest.hpp"
#include "oci/reference.hpp"

namespace chartprov::oci {
namespace {

TEST(Reference, ParsesTheFormsHelmAndCosignUse) {
  auto r = parse_reference("oci://127.0.0.1:5000/charts/demo", "1.2.3+build.1");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->registry, "127.0.0.1:5000");
  EXPECT_EQ(r->repository, "charts/demo");
  EXPECT_EQ(r->name(), "demo");
  EXPECT_EQ(r->tag, "1.2.3_build.1");
  auto t = parse_reference("oci://registry.example.com/demo:0.1.0");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->tag, "0.1.0");
  const std::string d = "sha256:" + std::string(64, 'a');
  auto g = parse_reference("oci://h/x/demo@" + d);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->ref(), d);
  EXPECT_EQ(signature_tag(d), "sha256-" + std::string(64, 'a') + ".sig");
  EXPECT_EQ(referrers_tag(d), "sha256-" + std::string(64, 'a'));
}

TEST(Reference, RefusesWhatIsNotAReference) {
  for (const char* bad : {"https://h/x", "oci://h", "oci://h/", "oci://h/UPPER", "oci://h/x//y", "oci://h/x@sha256:abc",
                          "oci://h/x", "oci://h/x:-bad", "oci://h/x:", "oci://h o/x:1"}) {
    EXPECT_FALSE(parse_reference(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_reference("oci://h/x:1.0.0", "1.0.0").ok());  // version twice
}

TEST(Manifest, FindsLayersByMediaTypeAndRefusesHostileShapes) {
  const std::string d1 = "sha256:" + std::string(64, '1');
  const std::string d2 = "sha256:" + std::string(64, '2');
  const std::string good =
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":")" + d1 +
      R"(","size":10},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.provenance.v1.prov","digest":")" + d2 +
      R"(","size":5},{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":")" + d1 +
      R"(","size":10}]})";
  auto m = parse_manifest(good);
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto chart = m->layer(kHelmChart);
  ASSERT_TRUE(chart.ok() && *chart != nullptr);
  EXPECT_EQ((*chart)->digest, d1);  // second position, found by type
  auto dup = parse_manifest(R"({"schemaVersion":2,"config":{"digest":")" + d1 +
                            R"(","size":1},"layers":[{"mediaType":"x","digest":")" + d1 +
                            R"(","size":1},{"mediaType":"x","digest":")" + d2 + R"(","size":1}]})");
  ASSERT_TRUE(dup.ok());
  EXPECT_FALSE(dup->layer("x").ok());  // ambiguous
  for (const std::string& bad : std::vector<std::string>{
           std::string("[]"), std::string(R"({"schemaVersion":1})"),
           std::string(R"({"schemaVersion":2,"config":{"digest":"sha256:abc","size":1},"layers":[]})"),
           R"({"schemaVersion":2,"config":{"digest":")" + d1 + R"(","size":-1},"layers":[]})",
           R"({"schemaVersion":2,"config":{"digest":")" + d1 + R"(","size":1}})",
           R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","config":{"digest":")" + d1 +
               R"(","size":1},"layers":[]})"}) {
    EXPECT_FALSE(parse_manifest(bad).ok()) << bad;
  }
  EXPECT_FALSE(parse_manifest(std::string(5u << 20, ' ')).ok());
}

}  // namespace
}  // namespace chartprov::oci
