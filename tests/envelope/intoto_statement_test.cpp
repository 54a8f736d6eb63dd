#include "envelope/sigstore/intoto_statement.hpp"

#include <gtest/gtest.h>

#include "envelope/sigstore/bundle.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

namespace chartprov::sigstore {
namespace {

// The DSSE payload of a real GitHub Actions attestation (tests/data/sigstore-keyless).
std::string vector_payload() {
  auto b = parse_bundle(test::read_text(
      test::data("sigstore-keyless/bundles/sigstore-conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json")));
  EXPECT_TRUE(b.ok());
  if (!b.ok() || !b->dsse) return "";
  return std::string(as_chars(b->dsse->payload));
}

TEST(InTotoStatement, ReadsTheVectorsSlsaProvenance) {
  auto st = parse_statement(vector_payload());
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->type, "https://in-toto.io/Statement/v1");
  EXPECT_EQ(st->predicate_type, kSlsaProvenanceV1);
  ASSERT_EQ(st->subjects.size(), 1u);
  EXPECT_EQ(st->subjects[0].name, "a.txt");
  // sha256sum tests/data/sigstore-keyless/artifacts/sigstore-conformance/a.txt
  EXPECT_TRUE(st->names_sha256("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"));
  EXPECT_FALSE(st->names_sha256("a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01be"));
  auto prov = parse_slsa_provenance(st->predicate_json);
  ASSERT_TRUE(prov.ok()) << prov.error().message;
  EXPECT_EQ(prov->builder_id,
            "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main");
  EXPECT_EQ(prov->build_type, "https://actions.github.io/buildtypes/workflow/v1");
  EXPECT_EQ(prov->source_repository, "https://github.com/loosebazooka/aa-test");
  EXPECT_EQ(prov->source_ref, "refs/heads/main");
  EXPECT_EQ(prov->workflow_path, ".github/workflows/provenance.yaml");
  EXPECT_EQ(prov->resolved_uris,
            std::vector<std::string>{"git+https://github.com/loosebazooka/aa-test@refs/heads/main"});
}

TEST(InTotoStatement, RefusesWhatIsNotAStatement) {
  const auto refused = [](const std::string& json) { return !parse_statement(json).ok(); };
  EXPECT_TRUE(refused("[]"));
  EXPECT_TRUE(refused("{\"_type\":\"https://in-toto.io/Statement/v1\""));
  EXPECT_TRUE(
      refused(R"({"_type":"https://example/Statement","subject":[{"digest":{"sha256":"00"}}],"predicateType":"x"})"));
  EXPECT_TRUE(refused(R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"x"})"));
  EXPECT_TRUE(refused(R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}],"predicateType":"x"})"));
  EXPECT_TRUE(refused(
      R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"AB"}}],"predicateType":"x"})"));
  EXPECT_TRUE(refused(
      R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"abc"}}],"predicateType":"x"})"));
  EXPECT_TRUE(refused(R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"ab"}}]})"));
  EXPECT_TRUE(refused(
      R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"ab"}}],"predicateType":"x","predicate":[]})"));
  EXPECT_FALSE(refused(
      R"({"_type":"https://in-toto.io/Statement/v0.1","subject":[{"digest":{"sha256":"ab"}}],"predicateType":"x","extra":1})"));
}

TEST(InTotoStatement, ProvenanceNeedsABuilder) {
  EXPECT_FALSE(parse_slsa_provenance("{}").ok());
  EXPECT_FALSE(parse_slsa_provenance(R"({"runDetails":{"builder":{"id":5}}})").ok());
  EXPECT_FALSE(parse_slsa_provenance(R"({"runDetails":{"builder":"x"}})").ok());
  auto p = parse_slsa_provenance(R"({"runDetails":{"builder":{"id":"b"}}})");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->builder_id, "b");
  EXPECT_TRUE(p->source_repository.empty());
}

}  // namespace
}  // namespace chartprov::sigstore
