// Helm's message block: every vector's reason for failing, helm's bytes
// rebuilt from the Chart.yaml inside each archive, and the strict rules.
#include "envelope/prov/message_block.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "support/test_support.hpp"

using namespace chartprov;
using namespace chartprov::envelope::prov;
namespace fs = std::filesystem;

namespace {

std::string plaintext_of(const std::string& relative) {
  const auto ct = parse_cleartext(test::read_text(test::data("helm/" + relative)));
  EXPECT_TRUE(ct.ok()) << relative << ": " << (ct.ok() ? "" : ct.error().message);
  return ct.ok() ? ct->plaintext : std::string();
}

std::string block_error(std::string_view plaintext) {
  const auto b = parse_message_block(plaintext);
  return b.ok() ? "(parsed)" : b.error().message;
}

// cases.tsv rows: name -> (chart, prov), for rows that have a .prov.
std::map<std::string, std::pair<std::string, std::string>> case_files() {
  std::map<std::string, std::pair<std::string, std::string>> out;
  const std::string tsv = test::read_text(test::data("helm/cases.tsv"));
  std::size_t pos = tsv.find('\n') + 1;
  while (pos < tsv.size()) {
    const std::size_t eol = tsv.find('\n', pos);
    const std::string line = tsv.substr(pos, eol - pos);
    pos = eol == std::string::npos ? tsv.size() : eol + 1;
    std::vector<std::string> f;
    for (std::size_t p = 0, t; (t = line.find('\t', p)), true; p = t + 1) {
      f.push_back(line.substr(p, t == std::string::npos ? std::string::npos : t - p));
      if (t == std::string::npos) break;
    }
    if (f.size() >= 3 && f[2] != "-") out[f[0]] = {f[1], f[2]};
  }
  return out;
}

const std::string kDigest(64, 'a');
const std::string kHead = "name: x\nversion: 1.0.0\n\n...\n";

}  // namespace

TEST(MessageBlockVectors, NegativesFailWithTheirReason) {
  const std::map<std::string, std::string> want = {
      {"neg-no-separator", "message block must have two parts separated by \"...\""},
      {"neg-extra-message-part", "message block has more than two parts"},
      {"neg-files-key-capitalized", "the digest part must start with \"files:\" (found \"Files:\")"},
      {"neg-duplicate-files-entry", "files: lists demo-0.1.0.tgz more than once"},
      {"neg-duplicate-files-entry-good-last", "files: lists demo-0.1.0.tgz more than once"},
      {"neg-no-metadata", "the signed metadata is empty"},
      {"neg-uppercase-hex", "files: digest for demo-0.1.0.tgz is not 64 lower-case hex digits"},
      {"neg-sha512-entry", "files: entry for demo-0.1.0.tgz is not a sha256 digest (\"sha512:54b315a0d...\")"},
  };
  const auto files = case_files();
  for (const auto& [name, message] : want) {
    SCOPED_TRACE(name);
    ASSERT_EQ(files.count(name), 1u);
    EXPECT_EQ(block_error(plaintext_of(files.at(name).second)), message);
  }
}

// The Chart.yaml inside each helm- or gpg-signed archive, run through
// build_message_block, gives the very text that was signed (helm v4 signs
// one more empty line than helm 3 and gpg).
TEST(MessageBlockVectors, BuildReproducesTheSignedBlockFromTheArchive) {
  std::set<std::string> reproduced, differs;
  for (const auto& [name, files] : case_files()) {
    const bool helm_made = name.rfind("ok-", 0) == 0 || name.rfind("gpg-digest-", 0) == 0 ||
                           name.rfind("weak-", 0) == 0 || name.rfind("upstream-", 0) == 0;
    if (!helm_made) continue;
    SCOPED_TRACE(name);
    const auto archive = chart::read_chart_archive(test::data("helm/" + files.first));
    ASSERT_TRUE(archive.ok()) << archive.error().message;
    const std::string plaintext = plaintext_of(files.second);
    const auto block =
        build_message_block(archive->chart_yaml, fs::path(files.first).filename().string(), archive->sha256_hex);
    ASSERT_TRUE(block.ok()) << block.error().message;
    const bool same = *block == plaintext || *block == plaintext + "\n";
    (same ? reproduced : differs).insert(name);
  }
  EXPECT_GT(reproduced.size(), 40u);
  EXPECT_TRUE(reproduced.count("ok-helm-rsa3072") == 1 && reproduced.count("ok-rich") == 1 &&
              reproduced.count("ok-helm3-rsa3072") == 1 && reproduced.count("ok-gpg-rsa3072") == 1);
  // Only the block edited after signing differs.
  EXPECT_EQ(differs, (std::set<std::string>{"upstream-msgblock-tampered"}));
}

TEST(MessageBlock, MetadataFields) {
  const auto chart = parse_message_block(
      "apiVersion: v2\nname: demo\nversion: \"1.10\"\n\n...\nfiles:\n  demo-1.10.tgz: sha256:" + kDigest);
  ASSERT_TRUE(chart.ok()) << chart.error().message;
  EXPECT_EQ(chart->metadata.name, "demo");
  EXPECT_EQ(chart->metadata.version, "1.10");
  EXPECT_EQ(chart->metadata.api_version, "v2");
  EXPECT_EQ(chart->metadata_yaml, "apiVersion: v2\nname: demo\nversion: \"1.10\"\n");
  ASSERT_NE(chart->find("demo-1.10.tgz"), nullptr);
  EXPECT_EQ(chart->find("demo-1.10.tgz")->hex, kDigest);
  EXPECT_EQ(chart->find("demo-1.10.tgz")->algorithm, "sha256");
  EXPECT_EQ(chart->find("demo-1.10"), nullptr);

  const auto plugin = parse_message_block(
      "APIVersion: v1\nName: p\nVersion: 0.1.0\nConfig: null\n\n...\nfiles:\n  p-0.1.0.tgz: sha256:" + kDigest);
  ASSERT_TRUE(plugin.ok()) << plugin.error().message;
  EXPECT_EQ(plugin->metadata.name, "p");
  EXPECT_EQ(plugin->metadata.api_version, "v1");

  const auto error = [](const std::string& meta) {
    return block_error(meta + "\n...\nfiles:\n  x-1.tgz: sha256:" + kDigest);
  };
  // Values Go's YAML reads as numbers, booleans or null are not the strings yaml-cpp gives us.
  EXPECT_EQ(error("name: x\nversion: 1.10\n"), "signed metadata: version is not a string");
  EXPECT_EQ(error("name: true\nversion: 1.0.0\n"), "signed metadata: name is not a string");
  EXPECT_EQ(error("name: x\nversion: !!int 1\n"), "signed metadata: version is not a string");
  EXPECT_EQ(error("name: [x]\nversion: 1.0.0\n"), "signed metadata: name is not a string");
  EXPECT_EQ(error("name:\nversion: 1.0.0\n"), "signed metadata: name is not a string");
  EXPECT_EQ(error("name: ''\nversion: 1.0.0\n"), "the signed metadata has no name");
  EXPECT_EQ(error("name: x\n"), "the signed metadata has no version");
  EXPECT_NE(error("name: x\nversion: 1.0.0\nname: y\n").find("duplicate"), std::string::npos);
  EXPECT_NE(error("name: x\nversion: 1.0.0\nmaintainers:\n- name: a\n  name: b\n").find("duplicate"),
            std::string::npos);
  EXPECT_NE(error("a: &x 1\nname: x\nversion: *x\n").find("alias"), std::string::npos);
  EXPECT_EQ(error("- name\n"), "the signed metadata is not a mapping");
}

TEST(MessageBlock, FilesPartRules) {
  const std::string e1 = "  a-1.tgz: sha256:" + kDigest + "\n";
  const std::string e2 = "  b-1.tgz: sha256:" + std::string(64, 'b') + "\n";
  const auto two = parse_message_block(kHead + "files:\n" + e1 + e2 + "\n\n");
  ASSERT_TRUE(two.ok()) << two.error().message;
  ASSERT_EQ(two->files.size(), 2u);
  EXPECT_EQ(two->find("b-1.tgz")->hex, std::string(64, 'b'));
  EXPECT_EQ(block_error(kHead + "files:\n" + e1 + e2 + e1), "files: lists a-1.tgz more than once");
  EXPECT_EQ(block_error(kHead + "files:\n" + e2 + e1 + e2), "files: lists b-1.tgz more than once");
  EXPECT_EQ(block_error(kHead + "files:\n"), "files: lists no file");
  EXPECT_EQ(block_error(kHead), "the digest part is empty");
  EXPECT_EQ(block_error(kHead + "files:\n" + e1 + "\n" + e2), "malformed files: entry \"\"");  // a gap, then more
  EXPECT_EQ(block_error(kHead + "files:\n" + e1 + "...\n"), "message block has more than two parts");
  EXPECT_EQ(block_error(kHead + "files:\n" + e1 + "..."), "malformed files: entry \"...\"");
  EXPECT_EQ(block_error("...\n" + kHead + "files:\n" + e1), "signed metadata: more than one YAML document (line 2)");
  EXPECT_EQ(block_error(kHead + "files:\n  a-1.tgz: sha256: " + kDigest),
            "files: digest for a-1.tgz is not 64 lower-case hex digits");
  EXPECT_EQ(block_error(kHead + "files:\n  a-1.tgz:  sha256:" + kDigest),
            "files: entry for a-1.tgz is not a sha256 digest (\" sha256:aaaaaaaa...\")");
  EXPECT_EQ(block_error(kHead + "files:\n  \"a-1.tgz\": sha256:" + kDigest),
            "unexpected file name \"\"a-1.tgz\"\" in files:");
  EXPECT_EQ(block_error(kHead + "files:\n\ta-1.tgz: sha256:" + kDigest),
            "malformed files: entry \"" + ("\ta-1.tgz: sha256:" + kDigest).substr(0, 80) + "\"");
  EXPECT_EQ(block_error(kHead + "files:\n  a-1.tgz: sha256:" + kDigest + " # c"),
            "files: digest for a-1.tgz is not 64 lower-case hex digits");
}

TEST(BuildMessageBlock, NormalisesWhatVerifiersNormaliseAndRefusesMarkers) {
  const std::string want = "name: x\nversion: 1.0.0\n\n...\nfiles:\n  x-1.0.0.tgz: sha256:" + kDigest + "\n";
  for (const char* chart_yaml :
       {"name: x\nversion: 1.0.0\n", "name: x\nversion: 1.0.0", "name: x\r\nversion: 1.0.0\r\n",
        "name: x \t\nversion: 1.0.0  \n", "---\nname: x\nversion: 1.0.0\n", "---\r\nname: x\nversion: 1.0.0\n"}) {
    const auto block = build_message_block(chart_yaml, "x-1.0.0.tgz", kDigest);
    ASSERT_TRUE(block.ok()) << block.error().message;
    EXPECT_EQ(*block, want);
    // What build gives, the cleartext writer accepts and the parser reads back.
    EXPECT_TRUE(signed_text_for(*block).ok());
  }
  const auto error = [](const std::string& chart_yaml) {
    const auto b = build_message_block(chart_yaml, "x-1.0.0.tgz", kDigest);
    return b.ok() ? "(built)" : b.error().message;
  };
  EXPECT_EQ(error("name: x\n...\nversion: 1.0.0\n"),
            "Chart.yaml line 2 is a YAML document marker (--- or ...); it cannot be signed");
  EXPECT_EQ(error("name: x\n... # end\n"),
            "Chart.yaml line 2 is a YAML document marker (--- or ...); it cannot be signed");
  EXPECT_EQ(error("name: x\nversion: 1.0.0\n---\nname: y\n"),
            "Chart.yaml line 3 is a YAML document marker (--- or ...); it cannot be signed");
  EXPECT_EQ(error("--- # start\nname: x\n"),
            "Chart.yaml line 1 is a YAML document marker (--- or ...); it cannot be signed");
  EXPECT_EQ(error("name: x\rversion: 1.0.0\n"), "Chart.yaml line 1 holds a carriage return; it cannot be signed");
  EXPECT_EQ(error("name: x\nversion: 1.10\n"), "Chart.yaml cannot be signed: signed metadata: version is not a string");
  EXPECT_EQ(error(""), "Chart.yaml cannot be signed: the signed metadata is empty");
  EXPECT_NE(error("name: x\nname: x\nversion: 1.0.0\n").find("Chart.yaml cannot be signed: "), std::string::npos);
  // Lines that only look like markers are YAML content.
  const auto folded =
      build_message_block("name: x\ndescription: |\n  ...\n  ---\nversion: 1.0.0\n", "x-1.0.0.tgz", kDigest);
  ASSERT_TRUE(folded.ok()) << folded.error().message;
  EXPECT_FALSE(build_message_block("name: x\nversion: 1.0.0\n", "x 1.tgz", kDigest).ok());
  EXPECT_FALSE(build_message_block("name: x\nversion: 1.0.0\n", "x-1.0.0.tgz", std::string(64, 'A')).ok());
}
