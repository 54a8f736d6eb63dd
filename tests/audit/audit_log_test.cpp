// The hash-chained audit log: every edit, deletion, insertion or reordering
// of a line is found, with its line number (a re-sealed last line only against
// an anchored head); cutting the end, or a tail rewritten with its hashes, is
// found against a recorded head.
#include "audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "infra/openssl/digest.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

namespace chartprov::audit {
namespace {

std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

void write_lines(const std::filesystem::path& p, const std::vector<std::string>& lines) {
  std::ofstream out(p, std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

class AuditLog : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 5; ++i) {
      auto h = append_event(log_, {{"kind", "decision"}, {"chart", "web-" + std::to_string(i)}, {"decision", "allow"}},
                            1795590000 + i);
      ASSERT_TRUE(h.ok()) << h.error().message;
      head_ = *h;
    }
  }
  test::TempDir dir_;
  std::filesystem::path log_ = dir_ / "audit.jsonl";
  std::string head_;
};

TEST_F(AuditLog, AnUntouchedLogVerifiesAndReportsItsHead) {
  auto c = verify_chain(log_, head_);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact) << c->reason;
  EXPECT_EQ(c->lines, 5u);
  EXPECT_EQ(c->head, head_);
  EXPECT_NE(lines_of(log_)[0].find("\"prev\":\"" + kGenesis + "\""), std::string::npos);
}

TEST_F(AuditLog, AnEditedLineIsFound) {
  auto lines = lines_of(log_);
  lines[2].replace(lines[2].find("allow"), 5, "deny!");
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("line 3: its own hash"), std::string::npos) << c->reason;
  // With its own hash recomputed, the next line no longer follows it.
  lines = lines_of(log_);
  const std::string body = lines[2].substr(0, lines[2].find(",\"hash\":\"")) + "}";
  lines[2] = body.substr(0, body.size() - 1) + ",\"hash\":\"" + hex_encode(crypto::sha256(as_bytes(body))) + "\"}";
  write_lines(log_, lines);
  c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("line 4: does not follow"), std::string::npos) << c->reason;
}

TEST_F(AuditLog, AnEditedLastLineIsFound) {
  auto lines = lines_of(log_);
  lines.back().replace(lines.back().find("allow"), 5, "deny!");
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("line 5: its own hash"), std::string::npos) << c->reason;
  // Nothing is chained onto an edited line.
  EXPECT_FALSE(append_event(log_, {{"kind", "x"}}).ok());
  EXPECT_EQ(lines_of(log_).size(), 5u);
}

TEST_F(AuditLog, ALastLineRewrittenWithItsHashIsFoundAgainstTheRecordedHead) {
  auto lines = lines_of(log_);
  std::string& last = lines.back();
  std::string body = last.substr(0, last.find(",\"hash\":\"")) + "}";
  body.replace(body.find("allow"), 5, "deny!");
  last = body.substr(0, body.size() - 1) + ",\"hash\":\"" + hex_encode(crypto::sha256(as_bytes(body))) + "\"}";
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact);  // SHA-256 has no key: the file alone cannot tell
  c = verify_chain(log_, head_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
}

// Issue 14 finding 10: a re-sealed last line is invisible in the file alone;
// a head anchored elsewhere ("SEQ:HASH", as `audit head` prints it) finds it,
// and still holds for a log that grew after it.
TEST_F(AuditLog, AnAnchoredHeadFindsAReSealedLineAndAllowsGrowth) {
  const auto anchor = parse_head_anchor(format_head_anchor(5, head_));
  ASSERT_TRUE(anchor.ok());
  EXPECT_EQ(anchor->seq, 5u);
  auto c = verify_chain(log_, std::nullopt, *anchor);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact) << c->reason;
  EXPECT_EQ(c->anchor_line, 5u);
  // Grown after the anchor: still contains it.
  ASSERT_TRUE(append_event(log_, {{"kind", "decision"}}, 1795590100).ok());
  c = verify_chain(log_, std::nullopt, *anchor);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact) << c->reason;
  EXPECT_EQ(c->anchor_line, 5u);
  // The anchored line re-sealed: the chain no longer contains the anchor.
  auto lines = lines_of(log_);
  lines.pop_back();
  std::string& last = lines.back();
  std::string body = last.substr(0, last.find(",\"hash\":\"")) + "}";
  body.replace(body.find("allow"), 5, "deny!");
  last = body.substr(0, body.size() - 1) + ",\"hash\":\"" + hex_encode(crypto::sha256(as_bytes(body))) + "\"}";
  write_lines(log_, lines);
  c = verify_chain(log_, std::nullopt, *anchor);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("the anchored head 5:" + head_ + " is not in the chain"), std::string::npos) << c->reason;
  // A bare hash is looked for anywhere; a wrong sequence number is not the anchor.
  c = verify_chain(log_, std::nullopt, parse_head_anchor(format_head_anchor(9, head_)).value());
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
}

TEST(AuditHeadAnchor, ParsesWhatAuditHeadPrints) {
  const std::string h(64, 'a');
  EXPECT_EQ(parse_head_anchor("12:" + h)->seq, 12u);
  EXPECT_FALSE(parse_head_anchor(h)->seq.has_value());
  EXPECT_EQ(parse_head_anchor(std::string(64, 'A'))->hash, h);
  for (const std::string& bad : {std::string(""), std::string(63, 'a'), "x:" + h, ":" + h, "1:" + std::string(64, 'g'),
                                 "-1:" + h, "1:" + h + "0"}) {
    const auto r = parse_head_anchor(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kUsage) << bad;
  }
}

TEST_F(AuditLog, TheGenesisAnchorIsInEveryChain) {
  auto c = verify_chain(log_, std::nullopt, parse_head_anchor(format_head_anchor(0, kGenesis)).value());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact) << c->reason;
  EXPECT_EQ(c->anchor_line, 0u);
}

TEST_F(AuditLog, ADeletedLineIsFound) {
  auto lines = lines_of(log_);
  lines.erase(lines.begin() + 1);
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("line 2"), std::string::npos) << c->reason;
}

TEST_F(AuditLog, ReorderedLinesAreFound) {
  auto lines = lines_of(log_);
  std::swap(lines[1], lines[3]);
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
}

TEST_F(AuditLog, ARewrittenTailIsFoundAgainstTheRecordedHead) {
  auto lines = lines_of(log_);
  lines.pop_back();
  write_lines(log_, lines);
  auto c = verify_chain(log_);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact);  // the file alone cannot tell
  c = verify_chain(log_, head_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->intact);
  EXPECT_NE(c->reason.find("cut off"), std::string::npos);
}

TEST_F(AuditLog, AppendingAfterGarbageIsRefusedAndNothingIsWritten) {
  std::ofstream(log_, std::ios::app) << "not a record\n";
  const auto before = lines_of(log_).size();
  EXPECT_FALSE(append_event(log_, {{"kind", "x"}}).ok());
  EXPECT_EQ(lines_of(log_).size(), before);
  std::ofstream(dir_ / "partial.jsonl") << "{\"seq\":1";  // no newline: an interrupted write
  EXPECT_FALSE(append_event(dir_ / "partial.jsonl", {{"kind", "x"}}).ok());
}

TEST_F(AuditLog, AnEmptyLogIsIntactWithTheGenesisHead) {
  std::ofstream(dir_ / "empty.jsonl").close();
  auto c = verify_chain(dir_ / "empty.jsonl");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->intact);
  EXPECT_EQ(c->head, kGenesis);
}

}  // namespace
}  // namespace chartprov::audit
