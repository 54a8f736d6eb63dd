// Every .prov (and clearsigned .asc) under tests/data/helm through the text
// path: cleartext framing, then the message block, with the outcome each
// case of cases.tsv calls for. A new vector file that nobody classified fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "infra/openssl/digest.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/signature.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::envelope::prov;
namespace fs = std::filesystem;

namespace {

struct Row {
  std::string name, chart, prov, expected;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

std::vector<Row> rows() {
  std::vector<Row> out;
  const auto lines = split(test::read_text(test::data("helm/cases.tsv")), '\n');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const auto f = split(lines[i], '\t');
    if (f.size() < 5 || f[2] == "-") continue;
    out.push_back({f[0], f[1], f[2], f[4]});
  }
  return out;
}

enum class Outcome { kNoBlock, kBadPackets, kBadBlock, kParses };

// Cases whose text path fails; every other row parses.
const std::map<std::string, Outcome> kFailing = {
    {"neg-empty-prov", Outcome::kNoBlock},
    {"neg-truncated-prov", Outcome::kNoBlock},
    {"neg-detached-armored-sig", Outcome::kNoBlock},
    {"neg-truncated-armor", Outcome::kBadPackets},
    {"neg-no-separator", Outcome::kBadBlock},
    {"neg-extra-message-part", Outcome::kBadBlock},
    {"neg-files-key-capitalized", Outcome::kBadBlock},
    {"neg-duplicate-files-entry", Outcome::kBadBlock},
    {"neg-duplicate-files-entry-good-last", Outcome::kBadBlock},
    {"neg-no-metadata", Outcome::kBadBlock},
    {"neg-uppercase-hex", Outcome::kBadBlock},
    {"neg-sha512-entry", Outcome::kBadBlock},
};

std::string sha256_hex_of(const fs::path& p) { return hex_encode(crypto::sha256(as_bytes(test::read_text(p)))); }

}  // namespace

TEST(ProvVectors, EveryCaseGivesItsOutcome) {
  const auto all = rows();
  ASSERT_GT(all.size(), 70u);
  std::size_t parsed_ok = 0;
  for (const auto& row : all) {
    SCOPED_TRACE(row.name);
    const std::string text = test::read_text(test::data("helm/" + row.prov));
    const auto it = kFailing.find(row.name);
    const Outcome outcome = it == kFailing.end() ? Outcome::kParses : it->second;
    const auto ct = parse_cleartext(text);
    if (outcome == Outcome::kNoBlock) {
      ASSERT_FALSE(ct.ok());
      EXPECT_NE(ct.error().message.find("signature block not found"), std::string::npos) << ct.error().message;
      continue;
    }
    ASSERT_TRUE(ct.ok()) << ct.error().message;
    EXPECT_FALSE(ct->signature_packets.empty());
    if (outcome == Outcome::kBadPackets) {
      EXPECT_FALSE(openpgp::parse_signatures(ct->signature_packets).ok());
      continue;
    }
    EXPECT_EQ(ct->has_hash_header, row.name != "neg-no-hash-header");
    const auto block = parse_message_block(ct->plaintext);
    if (outcome == Outcome::kBadBlock) {
      EXPECT_FALSE(block.ok());
      continue;
    }
    ASSERT_TRUE(block.ok()) << block.error().message;
    ASSERT_EQ(block->files.size(), 1u);
    EXPECT_EQ(block->files[0].algorithm, "sha256");
    const std::string archive = fs::path(row.chart).filename().string();
    if (row.expected == "ok") {
      // The archive is named after the signed metadata and its digest is the one signed.
      EXPECT_EQ(block->metadata.name + "-" + block->metadata.version + ".tgz", archive);
      const FileDigest* entry = block->find(archive);
      ASSERT_NE(entry, nullptr);
      EXPECT_EQ(entry->hex, sha256_hex_of(test::data("helm/" + row.chart)));
      ++parsed_ok;
    }
  }
  EXPECT_GT(parsed_ok, 40u);
}

// The negatives that parse still carry what makes them fail later.
TEST(ProvVectors, ParsedNegativesShowTheirDefect) {
  const auto block_of = [](const std::string& c, const std::string& file) {
    const auto ct = parse_cleartext(test::read_text(test::data("helm/generated/cases/" + c + "/" + file)));
    EXPECT_TRUE(ct.ok()) << c;
    auto b = parse_message_block(ct->plaintext);
    EXPECT_TRUE(b.ok()) << c;
    return std::move(b).value();
  };
  EXPECT_EQ(block_of("neg-renamed-archive", "other-0.1.0.tgz.prov").find("other-0.1.0.tgz"), nullptr);
  const auto tampered = block_of("neg-tampered-tgz", "demo-0.1.0.tgz.prov");
  ASSERT_NE(tampered.find("demo-0.1.0.tgz"), nullptr);
  EXPECT_NE(tampered.find("demo-0.1.0.tgz")->hex,
            sha256_hex_of(test::data("helm/generated/cases/neg-tampered-tgz/demo-0.1.0.tgz")));
  EXPECT_NE(block_of("neg-name-mismatch", "demo-0.1.0.tgz.prov").metadata.name, "demo");
  EXPECT_NE(block_of("neg-version-mismatch", "demo-0.1.0.tgz.prov").metadata.version, "0.1.0");
  const auto hash_mismatch =
      parse_cleartext(test::read_text(test::data("helm/generated/cases/neg-hash-header-mismatch/demo-0.1.0.tgz.prov")));
  ASSERT_TRUE(hash_mismatch.ok());
  EXPECT_NE(hash_mismatch->hash_headers, std::vector<std::string>{"SHA512"});
}

TEST(ProvVectors, FilesOutsideTheTableParse) {
  // The plugin with a tampered archive: the .prov itself is intact.
  const auto plugin =
      parse_cleartext(test::read_text(test::data("helm/generated/plugin/tampered/demo-plugin-0.1.0.tgz.prov")));
  ASSERT_TRUE(plugin.ok()) << plugin.error().message;
  const auto pb = parse_message_block(plugin->plaintext);
  ASSERT_TRUE(pb.ok()) << pb.error().message;
  EXPECT_EQ(pb->metadata.name, "demo-plugin");
  ASSERT_NE(pb->find("demo-plugin-0.1.0.tgz"), nullptr);
  EXPECT_NE(pb->find("demo-plugin-0.1.0.tgz")->hex,
            sha256_hex_of(test::data("helm/generated/plugin/tampered/demo-plugin-0.1.0.tgz")));

  const auto upstream =
      parse_cleartext(test::read_text(test::data("helm/upstream/pkg/provenance/testdata/msgblock.yaml.asc")));
  ASSERT_TRUE(upstream.ok()) << upstream.error().message;
  const auto ub = parse_message_block(upstream->plaintext);
  ASSERT_TRUE(ub.ok()) << ub.error().message;
  EXPECT_EQ(ub->metadata.name, "hashtest");
  EXPECT_EQ(ub->metadata.version, "1.2.3");
}

// Every .prov/.asc file in the vectors is covered by one of the tests above.
TEST(ProvVectors, NoUnclassifiedVectorFile) {
  std::set<std::string> known;
  for (const auto& row : rows()) known.insert(row.prov);
  known.insert("generated/plugin/tampered/demo-plugin-0.1.0.tgz.prov");
  known.insert("upstream/pkg/provenance/testdata/msgblock.yaml.asc");
  const fs::path root = test::data("helm");
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), root).string();
    const std::string ext = e.path().extension().string();
    if (ext == ".prov" || (ext == ".asc" && rel.find("generated/keys/") != 0)) {
      EXPECT_TRUE(known.count(rel) == 1) << "unclassified vector " << rel;
    }
  }
}

TEST(CleartextFraming, SuffixedBeginLineAndHeaderCharacters) {
  const std::string good = test::read_text(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz.prov"));
  ASSERT_TRUE(parse_cleartext(good).ok());
  const std::size_t begin_len = std::string("-----BEGIN PGP SIGNED MESSAGE-----").size();
  const std::string suffixed = good.substr(0, begin_len) + "x" + good.substr(begin_len);
  EXPECT_FALSE(parse_cleartext(suffixed).ok());
  // A marker in the surrounding text makes the file ambiguous.
  EXPECT_FALSE(parse_cleartext("-----BEGIN PGP SIGNED MESSAGE-----junk\n" + good).ok());
  std::string non_ascii = good;
  non_ascii.replace(non_ascii.find("Hash: SHA512"), 12, "Hash: SHA\xc3\xa9");
  EXPECT_FALSE(parse_cleartext(non_ascii).ok());
  std::string list = good;
  list.replace(list.find("Hash: SHA512"), 12, "Hash: SHA256 , SHA512");
  const auto l = parse_cleartext(list);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->hash_headers, (std::vector<std::string>{"SHA256", "SHA512"}));
  // A missing Hash: header parses; the verifier refuses it.
  std::string no_hash = good;
  no_hash.erase(no_hash.find("Hash: SHA512\n"), 13);
  const auto nh = parse_cleartext(no_hash);
  ASSERT_TRUE(nh.ok()) << nh.error().message;
  EXPECT_FALSE(nh->has_hash_header);
  // Corrupted armor after a well-formed text is an armor error.
  std::string garbled = good;
  garbled.insert(garbled.find("-----END PGP SIGNATURE-----"), "@@@@\n");
  const auto g = parse_cleartext(garbled);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("armor"), std::string::npos) << g.error().message;
}

TEST(CleartextFraming, Helm3AndGpgBlocksLackTheFinalNewline) {
  // Helm 3 and gpg sign the block without helm v4's extra empty line.
  const std::string chart_yaml =
      "apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: demo\n"
      "type: application\nversion: 0.1.0\n";
  for (const char* c : {"ok-helm3-rsa3072", "ok-gpg-rsa3072"}) {
    SCOPED_TRACE(c);
    const auto ct =
        parse_cleartext(test::read_text(test::data(std::string("helm/generated/cases/") + c + "/demo-0.1.0.tgz.prov")));
    ASSERT_TRUE(ct.ok());
    const std::string digest = sha256_hex_of(test::data(std::string("helm/generated/cases/") + c + "/demo-0.1.0.tgz"));
    const auto block = build_message_block(chart_yaml, "demo-0.1.0.tgz", digest);
    ASSERT_TRUE(block.ok());
    EXPECT_EQ(*block, ct->plaintext + "\n");
  }
}

TEST(BuildMessageBlock, EdgeCases) {
  const std::string d(64, 'a');
  const auto plain = build_message_block("name: x\nversion: 1.0.0", "x-1.0.0.tgz", d);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "name: x\nversion: 1.0.0\n\n...\nfiles:\n  x-1.0.0.tgz: sha256:" + d + "\n");
  const auto marker = build_message_block("---\nname: x\nversion: 1.0.0\n", "x-1.0.0.tgz", d);
  ASSERT_TRUE(marker.ok());
  EXPECT_EQ(*marker, *plain);
  const auto parsed = parse_message_block(*plain);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->metadata.name, "x");
  EXPECT_EQ(parsed->files[0].hex, d);
  EXPECT_FALSE(build_message_block("name: x\n...\n", "x-1.tgz", d).ok());
  EXPECT_FALSE(build_message_block("...\nname: x\n", "x-1.tgz", d).ok());
  EXPECT_FALSE(build_message_block("name: x\n", "x-1.tgz", std::string(64, 'A')).ok());
}

TEST(MessageBlockStrict, LineParser) {
  const std::string d(64, 'b');
  const std::string head = "name: x\nversion: 1.0.0\n\n...\n";
  EXPECT_TRUE(parse_message_block(head + "files:\n  x-1.0.0.tgz: sha256:" + d).ok());
  EXPECT_TRUE(parse_message_block(head + "files:\n  x-1.0.0.tgz: sha256:" + d + "\n").ok());
  EXPECT_FALSE(parse_message_block(head + "files:\n").ok());                              // zero entries
  EXPECT_FALSE(parse_message_block(head + "files: {}\n").ok());                           // flow style
  EXPECT_FALSE(parse_message_block(head + "files:\n    x-1.0.0.tgz: sha256:" + d).ok());  // indentation
  EXPECT_FALSE(parse_message_block(head + "files:\n  'x-1.0.0.tgz': sha256:" + d).ok());  // quoted name
  EXPECT_FALSE(parse_message_block(head + "files:\n  x-1.0.0.tgz: sha256:" + d + "0").ok());
  EXPECT_FALSE(parse_message_block(head + "files:\n  x-1.0.0.tgz: sha256:" + d + "\nimages: {}").ok());
  EXPECT_FALSE(parse_message_block("name: x\nname: y\nversion: 1\n\n...\nfiles:\n  x-1.tgz: sha256:" + d).ok());
  EXPECT_FALSE(parse_message_block("- a\n\n...\nfiles:\n  x-1.tgz: sha256:" + d).ok());       // not a mapping
  EXPECT_FALSE(parse_message_block("name: [x\n\n...\nfiles:\n  x-1.tgz: sha256:" + d).ok());  // bad YAML
  EXPECT_FALSE(parse_message_block("name: x\n\n...\nfiles:\n  x-1.tgz: sha256:" + d).ok());   // no version
}

// What fuzz/prov_fuzz.cpp checks, on the real files: a parsed text written
// again parses back to itself, with the signed bytes signed_text_for promises.
TEST(ProvVectors, ParsedTextsRewriteToThemselves) {
  std::size_t n = 0;
  for (const auto& row : rows()) {
    const auto ct = parse_cleartext(test::read_text(test::data("helm/" + row.prov)));
    if (!ct.ok()) continue;
    SCOPED_TRACE(row.name);
    const std::string text = ct->plaintext + "\n";
    const auto want = signed_text_for(text);
    ASSERT_TRUE(want.ok()) << want.error().message;
    const auto back = parse_cleartext(write_cleartext(text, "SHA512", ct->signature_packets));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->plaintext, text);
    EXPECT_EQ(back->signed_text, *want);
    EXPECT_EQ(back->signature_packets, ct->signature_packets);
    // helm v4 files were written the same way: their signed bytes are reproduced.
    if (row.name.rfind("ok-helm-", 0) == 0 && row.name.rfind("ok-helm3", 0) != 0) {
      EXPECT_EQ(*signed_text_for(ct->plaintext), ct->signed_text);
    }
    ++n;
  }
  EXPECT_GT(n, 60u);
}

namespace {

std::optional<crypto::DigestAlg> digest_alg(std::uint8_t hash_algo) {
  switch (static_cast<openpgp::HashAlgo>(hash_algo)) {
    case openpgp::HashAlgo::kMd5: return crypto::DigestAlg::kMd5;
    case openpgp::HashAlgo::kSha1: return crypto::DigestAlg::kSha1;
    case openpgp::HashAlgo::kRipemd160: return crypto::DigestAlg::kRipemd160;
    case openpgp::HashAlgo::kSha224: return crypto::DigestAlg::kSha224;
    case openpgp::HashAlgo::kSha256: return crypto::DigestAlg::kSha256;
    case openpgp::HashAlgo::kSha384: return crypto::DigestAlg::kSha384;
    case openpgp::HashAlgo::kSha512: return crypto::DigestAlg::kSha512;
    default: return std::nullopt;
  }
}

}  // namespace

// Each signature carries the first two bytes of the hash it signed: the text
// parse_cleartext says is signed must reproduce them, for every layout in the
// vectors (CR LF, trailing blanks, helm v3/v4, gpg, surrounding text...). Only
// the rows edited after signing may differ: their text, or the issuer inside
// the hashed subpackets.
TEST(ProvVectors, SignedTextReproducesEveryHashPrefix) {
  crypto::init_openssl();
  std::set<std::string> mismatched;
  std::size_t checked = 0;
  for (const auto& row : rows()) {
    const auto ct = parse_cleartext(test::read_text(test::data("helm/" + row.prov)));
    if (!ct.ok()) continue;
    const auto sigs = openpgp::parse_signatures(ct->signature_packets);
    if (!sigs.ok()) continue;
    for (const auto& sig : *sigs) {
      const auto alg = digest_alg(sig.hash_algo);
      if (sig.version != 4 || !alg) continue;
      auto d = crypto::Digest::create(*alg);
      if (!d.ok()) continue;  // e.g. MD5 or RIPEMD-160 not offered by this OpenSSL
      d->update(ct->signed_text);
      d->update(openpgp::v4_hash_trailer(sig.type, sig.pubkey_algo, sig.hash_algo, sig.hashed_area));
      const Bytes h = d->finish();
      if (h[0] != sig.hash_prefix[0] || h[1] != sig.hash_prefix[1]) mismatched.insert(row.name);
      ++checked;
    }
  }
  EXPECT_GT(checked, 70u);
  EXPECT_EQ(mismatched, (std::set<std::string>{"neg-tampered-body", "neg-tampered-signature-issuer",
                                               "upstream-msgblock-tampered"}));
}
