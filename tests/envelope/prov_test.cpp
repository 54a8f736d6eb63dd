#include <gtest/gtest.h>

#include <map>

#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/signature.hpp"
#include "support/test_support.hpp"

using namespace chartprov;
using namespace chartprov::envelope::prov;

namespace {

std::string prov(const std::string& c, const std::string& file = "demo-0.1.0.tgz.prov") {
  return test::read_text(test::data("helm/generated/cases/" + c + "/" + file));
}

const std::string kDigest = "5cd21467d78f8baf4eed0d2015c9eb422481c5005ed8789059d9977c59fddf24";

}  // namespace

TEST(Cleartext, HelmV4FileParses) {
  const auto ct = parse_cleartext(prov("ok-helm-rsa3072"));
  ASSERT_TRUE(ct.ok()) << ct.error().message;
  EXPECT_TRUE(ct->has_hash_header);
  ASSERT_EQ(ct->hash_headers.size(), 1u);
  EXPECT_EQ(ct->hash_headers[0], "SHA512");
  // helm v4 signs a final empty line: the signed text ends in CR LF.
  EXPECT_EQ(ct->signed_text.substr(ct->signed_text.size() - 66), kDigest + "\r\n");
  EXPECT_FALSE(ct->signature_packets.empty());
}

TEST(Cleartext, CrlfTrailingBlanksAndSurroundingTextGiveTheSameText) {
  const auto base = parse_cleartext(prov("ok-gpg-rsa3072"));
  ASSERT_TRUE(base.ok());
  for (const char* c : {"ok-crlf", "ok-trailing-blanks", "ok-surrounding-text", "ok-crc-added"}) {
    const auto ct = parse_cleartext(prov(c));
    ASSERT_TRUE(ct.ok()) << c << ": " << ct.error().message;
    const auto block = parse_message_block(ct->plaintext);
    ASSERT_TRUE(block.ok()) << c << ": " << block.error().message;
    ASSERT_NE(block->find("demo-0.1.0.tgz"), nullptr) << c;
  }
}

TEST(Cleartext, FramingFailures) {
  const std::map<std::string, std::string> cases = {
      {"neg-empty-prov", "signature block not found"},
      {"neg-truncated-prov", "signature block not found (truncated"},
      {"neg-detached-armored-sig", "signature block not found"},
  };
  for (const auto& [c, msg] : cases) {
    const auto ct = parse_cleartext(prov(c));
    ASSERT_FALSE(ct.ok()) << c;
    EXPECT_NE(ct.error().message.find(msg), std::string::npos) << c << ": " << ct.error().message;
  }
  // Well-formed armor around a truncated packet: the packet codec refuses it.
  const auto truncated = parse_cleartext(prov("neg-truncated-armor"));
  ASSERT_TRUE(truncated.ok());
  EXPECT_FALSE(openpgp::parse_signatures(truncated->signature_packets).ok());
  const auto no_hash = parse_cleartext(prov("neg-no-hash-header"));
  ASSERT_TRUE(no_hash.ok());
  EXPECT_FALSE(no_hash->has_hash_header);
}

TEST(Cleartext, RefusesTwoBlocksAndForeignHeaders) {
  const std::string one = prov("ok-helm-rsa3072");
  EXPECT_FALSE(parse_cleartext(one + "\n" + one).ok());
  std::string header = one;
  header.replace(header.find("Hash: SHA512"), 12, "Comment: hi");
  EXPECT_FALSE(parse_cleartext(header).ok());
}

TEST(MessageBlock, StrictFailures) {
  for (const char* c :
       {"neg-no-separator", "neg-extra-message-part", "neg-files-key-capitalized", "neg-duplicate-files-entry",
        "neg-duplicate-files-entry-good-last", "neg-no-metadata", "neg-uppercase-hex", "neg-sha512-entry"}) {
    const auto ct = parse_cleartext(prov(c));
    ASSERT_TRUE(ct.ok()) << c << ": " << ct.error().message;
    EXPECT_FALSE(parse_message_block(ct->plaintext).ok()) << c;
  }
}

TEST(MessageBlock, RichChartAndPlugin) {
  const auto rich = parse_cleartext(prov("ok-rich", "rich-0.2.0+build.7.tgz.prov"));
  ASSERT_TRUE(rich.ok());
  const auto block = parse_message_block(rich->plaintext);
  ASSERT_TRUE(block.ok()) << block.error().message;
  EXPECT_EQ(block->metadata.name, "rich");
  EXPECT_EQ(block->metadata.version, "0.2.0+build.7");
  EXPECT_NE(block->find("rich-0.2.0+build.7.tgz"), nullptr);

  const auto plugin =
      parse_cleartext(test::read_text(test::data("helm/generated/plugin/signed/demo-plugin-0.1.0.tgz.prov")));
  ASSERT_TRUE(plugin.ok());
  const auto pb = parse_message_block(plugin->plaintext);
  ASSERT_TRUE(pb.ok()) << pb.error().message;
  EXPECT_EQ(pb->metadata.name, "demo-plugin");
  EXPECT_EQ(pb->metadata.version, "0.1.0");
}

TEST(MessageBlock, BuildReproducesHelmsBlock) {
  const std::string chart_yaml =
      "apiVersion: v2\nappVersion: 1.16.0\ndescription: A Helm chart for Kubernetes\nname: demo\n"
      "type: application\nversion: 0.1.0\n";
  const auto block = build_message_block(chart_yaml, "demo-0.1.0.tgz", kDigest);
  ASSERT_TRUE(block.ok());
  const auto ct = parse_cleartext(prov("ok-helm-rsa3072"));
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(*block, ct->plaintext);  // golden: helm v4 signs the block plus an empty line
  EXPECT_FALSE(build_message_block("name: x\n...\nversion: 1\n", "x-1.tgz", kDigest).ok());
}

TEST(Cleartext, WriteThenParseRoundTrips) {
  const std::string text =
      "name: demo\nkeywords:\n- a\n- -----BEGIN PGP SIGNATURE-----\n\n...\nfiles:\n  demo-0.1.0.tgz: sha256:" +
      kDigest + "\n";
  const Bytes sig = {0xc2, 0x01, 0x00};
  const std::string file = write_cleartext(text, "SHA512", sig);
  const auto ct = parse_cleartext(file);
  ASSERT_TRUE(ct.ok()) << ct.error().message;
  EXPECT_EQ(ct->signed_text, *signed_text_for(text));
  EXPECT_EQ(ct->plaintext, text);
  EXPECT_EQ(ct->signature_packets, sig);
  EXPECT_FALSE(signed_text_for("trailing \n").ok());
  EXPECT_FALSE(signed_text_for("cr\r\n").ok());
  EXPECT_FALSE(signed_text_for("no newline").ok());
}

namespace {

const std::string kHead = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n";
std::string sig_armor() { return openpgp::armor(Bytes{0xc2, 0x01, 0x00}, "SIGNATURE"); }

std::string error_of(const std::string& file) {
  const auto ct = parse_cleartext(file);
  return ct.ok() ? "(parsed)" : ct.error().message;
}

}  // namespace

TEST(Cleartext, FramingErrorsAreExact) {
  EXPECT_EQ(error_of(prov("neg-empty-prov")), "signature block not found");
  EXPECT_EQ(error_of(prov("neg-detached-armored-sig")), "signature block not found");
  EXPECT_EQ(error_of(prov("neg-truncated-prov")),
            "signature block not found (truncated: no -----END PGP SIGNATURE----- line)");
  EXPECT_EQ(error_of(kHead + "text\n"), "signature block not found (no -----BEGIN PGP SIGNATURE----- line)");
  EXPECT_EQ(error_of("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n"),
            "signature block not found (truncated in the armor headers)");
  // Helm's reader voids the block for any suffix on the BEGIN line, blanks included.
  EXPECT_EQ(error_of("-----BEGIN PGP SIGNED MESSAGE----- \nHash: SHA512\n\nx\n" + sig_armor()),
            "signature block not found (text after the BEGIN line)");
  EXPECT_EQ(error_of(kHead + "x\n" + sig_armor() + kHead + "y\n" + sig_armor()),
            "more than one signed message in the file (which one counts is ambiguous)");
}

TEST(Cleartext, TextLineRules) {
  // Dash-escaping is undone before trailing blanks go; CR LF and blanks are not signed.
  const auto ct = parse_cleartext(kHead + "- -x \n- \t\nplain\t \r\n- \n" + sig_armor());
  ASSERT_TRUE(ct.ok()) << ct.error().message;
  EXPECT_EQ(ct->plaintext, "-x\n\nplain\n");
  EXPECT_EQ(ct->signed_text, "-x\r\n\r\nplain\r\n");
  EXPECT_EQ(ct->signature_packets, (Bytes{0xc2, 0x01, 0x00}));

  // An empty text is a text (the message block refuses it later).
  const auto empty = parse_cleartext(kHead + sig_armor());
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(empty->signed_text, "");

  // Where verifiers would disagree about the signed bytes: refused, with the file's line number.
  EXPECT_EQ(error_of(kHead + "ok\n-x\n" + sig_armor()),
            "signed message, line 5: starts with '-' but is not dash-escaped");
  EXPECT_EQ(error_of("junk\n" + kHead + "-x\n" + sig_armor()),
            "signed message, line 5: starts with '-' but is not dash-escaped");
  EXPECT_EQ(error_of(kHead + "a\rb\n" + sig_armor()), "signed message, line 4: carriage return inside the line");
  EXPECT_EQ(error_of(kHead + "a\r\r\n" + sig_armor()), "signed message, line 4: carriage return inside the line");
  // The signature starts only at the exact line; a blank after it leaves an unescaped '-' line.
  EXPECT_EQ(error_of(kHead + "a\n-----BEGIN PGP SIGNATURE----- \n" + sig_armor().substr(30)),
            "signed message, line 5: starts with '-' but is not dash-escaped");
  // The armor after the text is checked like any armor.
  std::string bad_crc = sig_armor();
  bad_crc[bad_crc.find("\n=") + 2] ^= 0x01;
  EXPECT_EQ(error_of(kHead + "a\n" + bad_crc), "signature: armor checksum mismatch (the data is garbled)");
}

TEST(Cleartext, HeaderRules) {
  const auto with_header = [](const std::string& h) {
    return parse_cleartext("-----BEGIN PGP SIGNED MESSAGE-----\n" + h + "\n\nx\n" + sig_armor());
  };
  const auto list = with_header("Hash:SHA256, SHA512 \nHash: SHA1");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_TRUE(list->has_hash_header);
  EXPECT_EQ(list->hash_headers, (std::vector<std::string>{"SHA256", "SHA512", "SHA1"}));
  const auto blank_end =
      parse_cleartext("-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA512\r\n \t\r\nx\r\n" + sig_armor());
  ASSERT_TRUE(blank_end.ok()) << blank_end.error().message;
  EXPECT_EQ(blank_end->plaintext, "x");
  const auto none = parse_cleartext("-----BEGIN PGP SIGNED MESSAGE-----\n\nx\n" + sig_armor());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_hash_header);
  EXPECT_TRUE(none->hash_headers.empty());

  const auto error = [&](const std::string& h) {
    const auto ct = with_header(h);
    return ct.ok() ? "(parsed)" : ct.error().message;
  };
  EXPECT_EQ(error("Hash: SHA512\t"), "control or non-ASCII character in an armor header");
  EXPECT_EQ(error("Hash: SHA\xc3\xa9"), "control or non-ASCII character in an armor header");
  EXPECT_EQ(error("Hash: SHA256,,SHA512"), "empty value in the Hash: header");
  EXPECT_EQ(error("Hash:"), "empty value in the Hash: header");
  EXPECT_EQ(error("Comment: hi"), "unexpected armor header in the signed message (only Hash: is allowed): Comment: hi");
  EXPECT_EQ(error("hash: SHA512"),
            "unexpected armor header in the signed message (only Hash: is allowed): hash: SHA512");
}
