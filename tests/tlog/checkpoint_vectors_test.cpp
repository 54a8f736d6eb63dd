// Checkpoints of the keyless vectors (tests/data/sigstore-keyless): Rekor v1
// (ECDSA, origin "<name> - <tree id>") and Rekor v2 (Ed25519, origin = the
// log's host, witness cosignatures), each checked against the log of its
// row's trusted root; the malformed ones refused at parse.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "support/keyless_cases.hpp"
#include "tlog/checkpoint.hpp"
#include "util/encoding.hpp"

namespace chartprov {
namespace {

struct CheckpointRow {
  test::KeylessCase c;
  std::string envelope;
  sigstore::InclusionProof proof;
  sigstore::TrustedRoot root;
  Bytes log_id;
  const sigstore::TransparencyLog& log() const { return *root.find_log(log_id); }
  bool is_v2() const { return crypto::key_type(log().key) == crypto::KeyType::kEd25519; }
  // How a verifier names the log: Rekor v2 by the trusted root, Rekor v1 by the checkpoint's origin.
  std::string name(const tlog::Checkpoint& cp) const {
    return is_v2() ? log().origin : std::string(tlog::signer_name_of(cp.origin));
  }
};

// Every row whose bundle parses and whose first entry has a checkpoint by a log of its root.
std::vector<CheckpointRow> checkpoint_rows() {
  std::vector<CheckpointRow> out;
  for (const auto& c : test::keyless_cases()) {
    auto b = sigstore::parse_bundle(test::read_text(test::KeylessCase::path(c.bundle)));
    if (!b || b->tlog_entries.empty() || !b->tlog_entries[0].proof) continue;
    auto root = sigstore::parse_trusted_root(test::read_text(test::KeylessCase::path(c.trusted_root)));
    if (!root) continue;  // trust-root-tlog-missing-validity-start_fail
    const auto& e = b->tlog_entries[0];
    if (root->find_log(e.log_id) == nullptr) continue;  // bundle-from-wrong-instance_fail
    out.push_back({c, e.proof->checkpoint, *e.proof, std::move(*root), e.log_id});
  }
  return out;
}

const std::map<std::string, std::string>& refused_at_parse() {
  static const std::map<std::string, std::string> rows = {
      {"conf/rekor2-checkpoint-missing-origin_fail",
       "checkpoint: fewer than three lines (origin, tree size, root hash)"},
      {"conf/rekor2-checkpoint-missing-size_fail", "checkpoint: fewer than three lines (origin, tree size, root hash)"},
      {"conf/rekor2-checkpoint-missing-root-hash_fail",
       "checkpoint: fewer than three lines (origin, tree size, root hash)"},
      {"conf/rekor2-checkpoint-missing-log-signature_fail", "checkpoint: no signature line"},
  };
  return rows;
}

// Parsed, but with no valid signature line by the log.
const std::set<std::string>& not_signed_by_the_log() {
  static const std::set<std::string> rows = {
      "conf/checkpoint-bad-keyhint_fail",  // a valid signature under a wrong key id
      "conf/invalid-checkpoint-signature_fail",
      "conf/rekor2-checkpoint-no-matching-signature_fail",  // another origin and name
  };
  return rows;
}

TEST(CheckpointVectors, EachRowsCheckpointIsSignedByItsLogOrRefused) {
  int v1 = 0, v2 = 0, witnessed = 0;
  std::set<std::string> seen;
  for (const auto& r : checkpoint_rows()) {
    seen.insert(r.c.id);
    auto cp = tlog::parse_checkpoint(r.envelope);
    if (const auto refused = refused_at_parse().find(r.c.id); refused != refused_at_parse().end()) {
      ASSERT_FALSE(cp.ok()) << r.c.id;
      EXPECT_EQ(cp.error().message, refused->second) << r.c.id;
      continue;
    }
    ASSERT_TRUE(cp.ok()) << r.c.id << ": " << cp.error().message;
    const bool expect_signed = not_signed_by_the_log().count(r.c.id) == 0;
    EXPECT_EQ(tlog::checkpoint_signed_by(*cp, r.log().key, r.name(*cp)), expect_signed) << r.c.id;
    EXPECT_EQ(tlog::checkpoint_signed_by(*cp, r.log().key), expect_signed) << r.c.id;
    if (!expect_signed) continue;
    (r.is_v2() ? v2 : v1)++;
    if (cp->signatures.size() > 1) ++witnessed;
    // A Rekor v2 checkpoint's origin is the log's name in the trusted root.
    if (r.is_v2()) {
      EXPECT_EQ(cp->origin, r.log().origin) << r.c.id;
    } else {
      EXPECT_NE(cp->origin, tlog::signer_name_of(cp->origin)) << r.c.id;  // "<name> - <tree id>"
    }
    // The log's key id is the first 4 bytes of its logId, for ECDSA and Ed25519 logs alike.
    const Bytes id = tlog::note_key_id(r.log().key, r.name(*cp)).value();
    EXPECT_EQ(id, Bytes(r.log_id.begin(), r.log_id.begin() + 4)) << r.c.id;
    // Another key of the same type signs nothing here.
    auto other = crypto::generate_key(r.is_v2() ? "ed25519" : "ecdsa-p256");
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(tlog::checkpoint_signed_by(*cp, *other, r.name(*cp))) << r.c.id;
    // The name is part of the key: another name is another key.
    EXPECT_FALSE(tlog::checkpoint_signed_by(*cp, r.log().key, r.name(*cp) + ".other")) << r.c.id;
    // checkpoint-wrong-roothash_fail is self-consistent: its refusal is the proof's root.
    EXPECT_EQ(cp->root_hash == r.proof.root_hash, r.c.id != "conf/checkpoint-wrong-roothash_fail") << r.c.id;
  }
  EXPECT_GE(v1, 15);
  EXPECT_GE(v2, 20);
  EXPECT_GE(witnessed, 9);
  for (const auto& [id, why] : refused_at_parse()) EXPECT_EQ(seen.count(id), 1u) << id;
  for (const auto& id : not_signed_by_the_log()) EXPECT_EQ(seen.count(id), 1u) << id;
}

// A row of several lines: the log's own, witness cosignatures and a second
// line from the origin under another key id.
TEST(CheckpointVectors, WitnessLinesAndOtherKeysAreIgnoredButABadLogLineIsNot) {
  for (const auto& r : checkpoint_rows()) {
    if (r.c.id != "conf/rekor2-checkpoint-two-sigs-cosigned") continue;
    auto cp = tlog::parse_checkpoint(r.envelope);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    ASSERT_EQ(cp->signatures.size(), 3u);
    const std::string name = r.log().origin;
    EXPECT_EQ(cp->signatures[0].name, name);
    EXPECT_EQ(cp->signatures[1].name, name);  // same name, another key id: not the log's key
    EXPECT_NE(cp->signatures[1].key_hint, cp->signatures[0].key_hint);
    EXPECT_EQ(cp->signatures[2].name, "witness.example");
    ASSERT_TRUE(tlog::checkpoint_signed_by(*cp, r.log().key, name));
    // Without the log's line, no signature is the log's.
    auto without = *cp;
    without.signatures.erase(without.signatures.begin());
    EXPECT_FALSE(tlog::checkpoint_signed_by(without, r.log().key, name));
    // A second line of the log's name and key id that does not verify refuses the note, first or last.
    auto bad_line = cp->signatures[0];
    bad_line.signature.back() ^= 1;
    auto appended = *cp;
    appended.signatures.push_back(bad_line);
    EXPECT_FALSE(tlog::checkpoint_signed_by(appended, r.log().key, name));
    auto prepended = *cp;
    prepended.signatures.insert(prepended.signatures.begin(), bad_line);
    EXPECT_FALSE(tlog::checkpoint_signed_by(prepended, r.log().key, name));
    return;
  }
  FAIL() << "no row conf/rekor2-checkpoint-two-sigs-cosigned";
}

TEST(CheckpointVectors, SignerNames) {
  EXPECT_EQ(tlog::signer_name_of("rekor.sigstore.dev - 2605736670972794746"), "rekor.sigstore.dev");
  EXPECT_EQ(tlog::signer_name_of("localhost:8000 - 209406721089291"), "localhost:8000");
  EXPECT_EQ(tlog::signer_name_of("log2025-1.rekor.sigstore.dev"), "log2025-1.rekor.sigstore.dev");
  EXPECT_EQ(tlog::signer_name_of("a - b"), "a - b");
  EXPECT_EQ(tlog::signer_name_of(" - 7"), " - 7");
  EXPECT_EQ(tlog::signer_name_of("x - "), "x - ");
}

// One malformation at a time of a real Rekor v2 checkpoint.
TEST(CheckpointVectors, MalformedCheckpointsAreRefused) {
  std::string good;
  for (const auto& r : checkpoint_rows()) {
    if (r.c.id == "conf/rekor2-happy-path") good = r.envelope;
  }
  ASSERT_FALSE(good.empty());
  ASSERT_TRUE(tlog::parse_checkpoint(good).ok());
  const auto sig_at = good.find("\n\n") + 2;
  const std::string text = good.substr(0, sig_at - 1), sig_line = good.substr(sig_at);
  const auto refusal = [](const std::string& env) {
    auto cp = tlog::parse_checkpoint(env);
    return cp.ok() ? std::string("accepted") : cp.error().message;
  };
  const std::string root_line = text.substr(text.find("\n", text.find('\n') + 1) + 1);
  EXPECT_EQ(refusal("\t" + good), "checkpoint: a control character");
  EXPECT_EQ(refusal(text + "\r\n" + sig_line), "checkpoint: a control character");
  EXPECT_EQ(refusal("log\n0736\n" + root_line + "\n" + sig_line), "checkpoint: tree size is not a number");
  EXPECT_EQ(refusal("log\n736\n" + root_line.substr(1) + "\n" + sig_line),
            "checkpoint: root hash is not 32 bytes of base64");
  EXPECT_EQ(refusal("\n736\n" + root_line + "\n" + sig_line), "checkpoint: empty origin");
  EXPECT_EQ(refusal(text + sig_line), "checkpoint: no blank line between text and signatures");
  EXPECT_EQ(refusal(text + "\n" + sig_line.substr(0, sig_line.size() - 1)),
            "checkpoint: signature lines must end with a newline");
  const std::string dash = "\u2014 ";
  const std::string b64 = sig_line.substr(sig_line.rfind(' ') + 1);
  EXPECT_EQ(refusal(text + "\n" + dash + "a+b " + b64), "checkpoint: a key name with '+'");
  EXPECT_EQ(refusal(text + "\n" + dash + "a b " + b64), "checkpoint: malformed signature line");
  EXPECT_EQ(refusal(text + "\n" + dash + " " + b64), "checkpoint: malformed signature line");
  EXPECT_EQ(refusal(text + "\n- name " + b64), "checkpoint: a signature line does not start with an em dash");
  EXPECT_EQ(refusal(text + "\n" + dash + "name AAAA\n"), "checkpoint: signature is not base64");
  std::string many = text + "\n";
  for (std::size_t i = 0; i < tlog::kMaxCheckpointSignatures; ++i) many += sig_line;
  EXPECT_EQ(refusal(many), "accepted");
  EXPECT_EQ(refusal(many + sig_line), "checkpoint: more than 64 signature lines");
}

}  // namespace
}  // namespace chartprov
