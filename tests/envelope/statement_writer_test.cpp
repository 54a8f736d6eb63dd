#include "envelope/sigstore/statement_writer.hpp"

#include <gtest/gtest.h>

#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/intoto_statement.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"
#include "util/nesting.hpp"

namespace chartprov::sigstore {
namespace {

// The predicate of a real GitHub Actions attestation (tests/data/sigstore-keyless).
std::string vector_predicate() {
  auto b = parse_bundle(test::read_text(
      test::data("sigstore-keyless/bundles/sigstore-conformance/happy-path-intoto-in-dsse-v3/bundle.sigstore.json")));
  EXPECT_TRUE(b.ok());
  if (!b.ok() || !b->dsse) return "";
  auto st = parse_statement(as_chars(b->dsse->payload));
  EXPECT_TRUE(st.ok());
  return st.ok() ? st->predicate_json : "";
}

// sha256sum tests/data/sigstore-keyless/artifacts/sigstore-conformance/a.txt
constexpr const char* kDigest = "a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

TEST(StatementWriter, WritesWhatTheReaderReadsBack) {
  const std::string predicate = vector_predicate();
  auto text = write_statement("demo-0.1.0.tgz", kDigest, kSlsaProvenanceV1, predicate);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->rfind(R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"demo-0.1.0.tgz",)", 0), 0u);
  auto st = parse_statement(*text);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->type, kInTotoStatementV1);
  ASSERT_EQ(st->subjects.size(), 1u);
  EXPECT_EQ(st->subjects[0].name, "demo-0.1.0.tgz");
  EXPECT_TRUE(st->names_sha256(kDigest));
  EXPECT_EQ(st->predicate_type, kSlsaProvenanceV1);
  EXPECT_EQ(st->predicate_json, predicate);
  auto prov = parse_slsa_provenance(st->predicate_json);
  ASSERT_TRUE(prov.ok());
  EXPECT_EQ(prov->source_repository, "https://github.com/loosebazooka/aa-test");
}

TEST(StatementWriter, RefusesAPredicateThatIsNotAnObject) {
  EXPECT_EQ(write_statement("a", kDigest, "https://x/y", "[]").error().message, "the predicate is not a JSON object");
  EXPECT_EQ(write_statement("a", kDigest, "https://x/y", "{").error().message, "the predicate is not JSON");
  EXPECT_EQ(write_statement("a", kDigest, "https://x/y",
                            std::string(kMaxNestingDepth + 1, '[') + std::string(kMaxNestingDepth + 1, ']'))
                .error()
                .message,
            "the predicate is not JSON");
  const std::string big = "{\"a\":\"" + std::string(kMaxPredicate, 'x') + "\"}";
  EXPECT_EQ(write_statement("a", kDigest, "https://x/y", big).error().message, "the predicate is larger than 1 MiB");
  EXPECT_TRUE(write_statement("a", kDigest, "https://x/y", "{}").ok());
}

TEST(StatementWriter, RefusesABadSubject) {
  EXPECT_FALSE(write_statement("", kDigest, "https://x/y", "{}").ok());
  EXPECT_FALSE(
      write_statement("a", "A0CFC71271D6E278E57CD332FF957C3F7043FDDA354C4CBB190A30D56EFA01BF", "https://x/y", "{}")
          .ok());
  EXPECT_FALSE(write_statement("a", "a0cf", "https://x/y", "{}").ok());
  EXPECT_FALSE(write_statement("\xff", kDigest, "https://x/y", "{}").ok());
}

TEST(StatementWriter, APredicateTypeIsAUri) {
  EXPECT_TRUE(check_predicate_type("https://slsa.dev/provenance/v1").ok());
  EXPECT_TRUE(check_predicate_type("urn:example:v1").ok());
  for (const char* bad : {"", "not a uri", "://x", "x:", "1x:y", "https://x/ y", "https://x/\xc3\xa9", "ht tp://x"}) {
    auto st = check_predicate_type(bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().message, "predicate type \"" + std::string(bad) + "\" is not a URI");
  }
  EXPECT_FALSE(check_predicate_type("https://" + std::string(kMaxPredicateType, 'x')).ok());
}

}  // namespace
}  // namespace chartprov::sigstore
