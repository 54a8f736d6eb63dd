// ASCII armor: CRC-24 known answers, what dearmor tolerates and refuses, the
// layout armor() writes, and both directions against gpg, rnp and sq.
#include "openpgp/armor.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "infra/process/process.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = s.find('\n', pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) return out;
    pos = next + 1;
  }
}

// The =XXXX line of an armored file, decoded.
std::uint32_t crc_line_of(const std::string& armored) {
  const std::size_t at = armored.find("\n=");
  EXPECT_NE(at, std::string::npos);
  const auto b = base64_decode(armored.substr(at + 2, 4));
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 3u);
  return (static_cast<std::uint32_t>((*b)[0]) << 16) | (static_cast<std::uint32_t>((*b)[1]) << 8) | (*b)[2];
}

const std::string kHelloArmored =  // gpg --enarmor of "hello world\0\1" (gpg 2.2.40)
    "-----BEGIN PGP ARMORED FILE-----\n"
    "Comment: Use \"gpg --dearmor\" for unpacking\n"
    "\n"
    "aGVsbG8gd29ybGQAAQ==\n"
    "=2l9h\n"
    "-----END PGP ARMORED FILE-----\n";
const std::string kHello("hello world\0\1", 13);

std::string good_key() { return test::read_text(test::data("helm/generated/keys/ed25519.pub.asc")); }

void expect_refused(const std::string& text, const std::string& why) {
  const auto a = openpgp::dearmor(text);
  ASSERT_FALSE(a.ok()) << "accepted: " << text;
  EXPECT_NE(a.error().message.find(why), std::string::npos) << a.error().message;
}

}  // namespace

TEST(Crc24, KnownAnswers) {
  EXPECT_EQ(openpgp::crc24(as_bytes("")), 0xB704CEu);           // RFC 4880 §6.1 CRC24_INIT
  EXPECT_EQ(openpgp::crc24(as_bytes("123456789")), 0x21CF02u);  // CRC-24/OPENPGP check value
  EXPECT_EQ(openpgp::crc24(as_bytes(kHello)), crc_line_of(kHelloArmored));
}

TEST(Crc24, MatchesTheChecksumLinesOtherToolsWrote) {
  // ok-crc-added (CRC appended to a helm v4 file by the vector generator),
  // upstream signtest (Helm 3's x/crypto), and every gpg-armored key.
  std::vector<fs::path> files = {test::data("helm/generated/cases/ok-crc-added/demo-0.1.0.tgz.prov"),
                                 test::data("helm/upstream/pkg/cmd/testdata/testcharts/signtest-0.1.0.tgz.prov")};
  for (const auto& e : fs::directory_iterator(test::data("helm/generated/keys"))) {
    if (e.path().string().ends_with(".pub.asc")) files.push_back(e.path());
  }
  ASSERT_GE(files.size(), 10u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const std::string text = test::read_text(f);
    const std::size_t begin = text.find("-----BEGIN PGP SIGNATURE-----") != std::string::npos
                                  ? text.find("-----BEGIN PGP SIGNATURE-----")
                                  : text.find("-----BEGIN PGP");
    const auto a = openpgp::dearmor(std::string_view(text).substr(begin));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(openpgp::crc24(a->data), crc_line_of(text.substr(begin)));
    Bytes flipped = a->data;
    flipped[flipped.size() / 2] ^= 0x01;
    EXPECT_NE(openpgp::crc24(flipped), openpgp::crc24(a->data));
  }
}

TEST(Dearmor, ToleratedVariantsGiveTheSameBytes) {
  const std::string good = good_key();
  const auto want = openpgp::dearmor(good);
  ASSERT_TRUE(want.ok()) << want.error().message;
  EXPECT_EQ(want->label, "PUBLIC KEY BLOCK");
  const std::size_t crc = good.find("\n=");
  for (const std::string& variant : {
           replace_all(good, "\n", "\r\n"),                                               // CR LF
           replace_all(good, "\n", " \t\n"),                                              // trailing blanks
           good.substr(0, good.size() - 1),                                               // no final newline
           good.substr(0, crc) + good.substr(good.find("\n-----END")),                    // no CRC line (helm v4)
           replace_all(good, "BLOCK-----\n\n", "BLOCK-----\nComment: hi\nVersion:\n\n"),  // headers
           replace_all(good, "BLOCK-----\n\n", "BLOCK-----\n \t\n"),                      // whitespace-only blank line
           good + "trailing text, not part of the block\n",
       }) {
    const auto a = openpgp::dearmor(variant);
    ASSERT_TRUE(a.ok()) << a.error().message << "\n" << variant;
    EXPECT_EQ(a->data, want->data);
  }
  const auto headers = openpgp::dearmor(replace_all(good, "BLOCK-----\n\n", "BLOCK-----\nComment: a: b\nVersion:\n\n"));
  ASSERT_TRUE(headers.ok());
  ASSERT_EQ(headers->headers.size(), 2u);
  EXPECT_EQ(headers->headers[0], (std::pair<std::string, std::string>{"Comment", "a: b"}));
  EXPECT_EQ(headers->headers[1], (std::pair<std::string, std::string>{"Version", ""}));
}

TEST(Dearmor, Refusals) {
  const std::string good = good_key();
  const std::size_t body = good.find("\n\n") + 2;
  const std::size_t crc = good.find("\n=") + 2;
  std::string bad_crc = good;
  bad_crc[crc] = bad_crc[crc] == 'A' ? 'B' : 'A';
  expect_refused(bad_crc, "armor checksum mismatch");
  std::string garbled = good;
  garbled[body + 10] = garbled[body + 10] == 'A' ? 'B' : 'A';
  expect_refused(garbled, "armor checksum mismatch");
  expect_refused(good.substr(0, crc) + "AB==\n-----END PGP PUBLIC KEY BLOCK-----\n", "malformed checksum line");
  expect_refused(good.substr(0, crc) + good.substr(crc, 5) + "\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n",
                 "data after the checksum line");
  expect_refused(replace_all(good, "END PGP PUBLIC KEY BLOCK", "END PGP SIGNATURE"),
                 "unexpected -----END PGP SIGNATURE");
  expect_refused(good.substr(0, body) + std::string(100, 'A') + "\n" + good.substr(body), "longer than 96");
  expect_refused(good.substr(0, body) + "AA*A\n" + good.substr(body), "invalid base64 character");
  expect_refused(good.substr(0, body) + "AA AA\n" + good.substr(body), "invalid base64 character");
  expect_refused(good.substr(0, body) + "AA\rAA\n" + good.substr(body), "invalid base64 character");
  expect_refused(good.substr(0, body) + "AAA\n" + good.substr(body), "base64");  // not a multiple of 4 in all
  expect_refused(good.substr(0, good.find("-----END")), "truncated");
  expect_refused(replace_all(good, "BLOCK-----\n\n", "BLOCK-----\n"), "malformed header line");  // no blank line
  expect_refused(replace_all(good, "BLOCK-----\n\n", "BLOCK-----\nComment:x\n\n"), "malformed header line");
  expect_refused(replace_all(good, "BLOCK-----\n\n", "BLOCK-----\nno colon\n\n"), "malformed header line");
  expect_refused("-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n", "no data");
  expect_refused("", "no -----BEGIN PGP");
  expect_refused("-----BEGIN PGP -----\n\nAAAA\n-----END PGP -----\n", "no -----BEGIN PGP");
  expect_refused(" " + good, "no -----BEGIN PGP");  // the text must start at the BEGIN line
  expect_refused("-----BEGIN PGP SIGNATURE-----", "truncated");
}

// The armored keys dearmor to the very bytes of their binary exports, and
// survive armor() -> dearmor().
TEST(Dearmor, ArmoredKeysMatchBinaryExports) {
  const fs::path keys = test::data("helm/generated/keys");
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(keys)) {
    const std::string file = e.path().filename().string();
    if (file.size() < 8 || file.substr(file.size() - 8) != ".pub.asc") continue;
    SCOPED_TRACE(file);
    const auto a = openpgp::dearmor(test::read_text(e.path()));
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ(a->label, "PUBLIC KEY BLOCK");
    const fs::path binary = keys / (file.substr(0, file.size() - 4) + ".gpg");
    if (fs::exists(binary)) {
      EXPECT_EQ(a->data, to_bytes(test::read_text(binary)));
    }
    const auto back = openpgp::dearmor(openpgp::armor(a->data, "PUBLIC KEY BLOCK"));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->data, a->data);
    ++n;
  }
  EXPECT_GE(n, 15u);
}

TEST(Armor, Layout) {
  Bytes data(100);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  const std::string text = openpgp::armor(data, "SIGNATURE");
  const auto lines = split_lines(text);
  ASSERT_EQ(lines.size(), 8u);  // BEGIN, blank, 3 body lines (136 chars), CRC, END, "" after the final LF
  EXPECT_EQ(lines[0], "-----BEGIN PGP SIGNATURE-----");
  EXPECT_EQ(lines[1], "");
  EXPECT_EQ(lines[2], base64_encode(ByteView(data).subspan(0, 48)));
  EXPECT_EQ(lines[3].size(), 64u);
  EXPECT_EQ(lines[4].size(), 8u);
  EXPECT_EQ(lines[5][0], '=');
  EXPECT_EQ(lines[5].substr(1), base64_encode(Bytes{static_cast<std::uint8_t>(openpgp::crc24(data) >> 16),
                                                    static_cast<std::uint8_t>(openpgp::crc24(data) >> 8),
                                                    static_cast<std::uint8_t>(openpgp::crc24(data))}));
  EXPECT_EQ(lines[6], "-----END PGP SIGNATURE-----");
  EXPECT_EQ(lines[7], "");
  // A body that fills its last line exactly: no short line, no empty line.
  const auto exact = split_lines(openpgp::armor(Bytes(96, 0xff), "X"));
  ASSERT_EQ(exact.size(), 7u);
  EXPECT_EQ(exact[3].size(), 64u);
  EXPECT_EQ(exact[4][0], '=');
}

TEST(Armor, RoundTripsEverySize) {
  for (std::size_t n = 1; n < 200; ++n) {
    Bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(i * 131 + n);
    const auto back = openpgp::dearmor(openpgp::armor(data, "SIGNATURE"));
    ASSERT_TRUE(back.ok()) << n << ": " << back.error().message;
    EXPECT_EQ(back->data, data);
    EXPECT_EQ(back->label, "SIGNATURE");
    EXPECT_TRUE(back->headers.empty());
  }
}

// Real peers: what they armor we read, what we armor they read.
TEST(ArmorPeers, GpgRnpSqBothWays) {
  test::TempDir home;
  const auto run = [&](const std::vector<std::string>& argv, const std::string& in) {
    const auto r = process::run_process(argv, as_bytes(in));
    EXPECT_TRUE(r.ok()) << argv[0] << ": " << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return std::string();
    EXPECT_EQ(r->exit_code, 0) << argv[0] << ": " << r->err;
    return r->out;
  };
  const std::string gpg_home = "--homedir=" + home.path().string();
  Bytes data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
  const std::string raw(as_chars(data));

  for (const auto& argv : std::vector<std::vector<std::string>>{{"/usr/bin/gpg", gpg_home, "--batch", "--enarmor"},
                                                                {"/usr/bin/rnp", "--enarmor=msg"},  // writes CR LF
                                                                {"/usr/bin/sq", "armor"}}) {
    SCOPED_TRACE(argv[0]);
    const std::string armored = run(argv, raw);
    const auto a = openpgp::dearmor(armored);
    ASSERT_TRUE(a.ok()) << a.error().message << "\n" << armored;
    EXPECT_EQ(a->data, data);
  }
  const std::string ours = openpgp::armor(data, "SIGNATURE");
  for (const auto& argv : std::vector<std::vector<std::string>>{{"/usr/bin/gpg", gpg_home, "--batch", "--dearmor"},
                                                                {"/usr/bin/rnp", "--dearmor"},
                                                                {"/usr/bin/sq", "dearmor"}}) {
    SCOPED_TRACE(argv[0]);
    EXPECT_EQ(run(argv, ours), raw);
  }
  const auto hello = openpgp::dearmor(kHelloArmored);
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(as_chars(hello->data), kHello);
  EXPECT_EQ(hello->label, "ARMORED FILE");
}
