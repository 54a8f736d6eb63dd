// Signing and verifying against chartprov's transparency log (issue 17), in
// process: a log made of the real tlog pieces (HashTree, signed notes, chart
// entries) answers as `chartprov log serve` does, and the signer's check of
// the answer, the trusted root `log trusted-root` writes, the bundle's offline
// verification and the verifier's checkpoint state are held against it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/sign/blob_signer.hpp"
#include "app/sign/log_submit.hpp"
#include "app/trust/log_trusted_root.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/tlog_state.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "support/test_support.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/log_id.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

crypto::PKey key_of(const char* spec) {
  auto k = crypto::generate_key(spec);
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

// The same Ed25519 private key each time for one seed byte (two logs of one key).
crypto::PKey ed25519_of(std::uint8_t seed) {
  auto k = crypto::raw_private_key("ED25519", Bytes(32, seed), {});
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

// A public key's copy (PKey is move-only).
crypto::PKey public_of(const crypto::PKey& key) {
  auto copy = crypto::parse_spki_der(*crypto::spki_der(key));
  EXPECT_TRUE(copy.ok());
  return std::move(*copy);
}

tlog::NoteKey note_key(crypto::PKey key, const std::string& name) {
  auto k = tlog::make_note_key(std::move(key), name);
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

// A log as `log serve` is one: leaves, a tree, a note key named `origin`.
struct TestLog {
  std::string origin;
  tlog::NoteKey key;
  tlog::HashTree tree;
  std::vector<Bytes> leaves;

  TestLog(const std::string& name, crypto::PKey k) : origin(name), key(note_key(std::move(k), name)) {}

  void add(const std::string& leaf) {
    leaves.emplace_back(leaf.begin(), leaf.end());
    EXPECT_TRUE(tree.append(tlog::leaf_hash(leaves.back())).ok());
  }
  std::string checkpoint() const {
    const Bytes root = *tree.root();
    return *tlog::sign_note(*tlog::checkpoint_body(origin, tree.size(), root), key);
  }
  // The TransparencyLogEntry the write API answers for leaf `index`.
  sigstore::TlogEntry entry(std::uint64_t index) const {
    sigstore::TlogEntry e;
    e.log_index = static_cast<std::int64_t>(index);
    e.log_id = *tlog::tile_log_id(key.key, origin);
    e.kind = "hashedrekord";
    e.version = "0.0.2";
    e.body = leaves.at(index);
    sigstore::InclusionProof p;
    p.log_index = e.log_index;
    p.tree_size = static_cast<std::int64_t>(tree.size());
    p.root_hash = *tree.root();
    p.hashes = *tlog::inclusion_proof(tree.nodes(), index, tree.size());
    p.checkpoint = checkpoint();
    e.proof = std::move(p);
    return e;
  }
};

struct Signed {
  crypto::PKey signer = key_of("ecdsa-p256");
  Bytes artifact = to_bytes("the chart archive's bytes");
  Bytes digest = crypto::sha256(artifact);
  Bytes signature = *sign_blob(signer, artifact);

  tlog::ChartEntry entry(const std::string& chart = "web", const std::string& version = "0.1.0") const {
    tlog::ChartEntry e;
    e.event = {chart, version, "sigstore-bundle", 0};
    e.digest = digest;
    e.signature = signature;
    e.public_key = *crypto::spki_der(signer);
    e.key_details = "PKIX_ECDSA_P256_SHA_256";
    return e;
  }
};

std::string leaf_of(tlog::ChartEntry e, std::int64_t time) {
  e.event.time = time;
  return *tlog::chart_entry_body(e);
}

std::filesystem::path write_public_key(const test::TempDir& dir, const crypto::PKey& key, const std::string& name) {
  test::write_text(dir / name, *crypto::public_key_pem(key));
  return dir / name;
}

class LogSign : public ::testing::Test {
 protected:
  Signed s;
  TestLog log{"127.0.0.1", key_of("ed25519")};
  LogTarget target() const { return LogTarget{"http://127.0.0.1:8080", public_of(log.key.key), 1000}; }

  void SetUp() override {
    log.add("first leaf");
    log.add(leaf_of(s.entry(), 1765000000));
    log.add("third leaf");
  }
};

TEST_F(LogSign, TheLogsHonestAnswerIsAccepted) {
  EXPECT_TRUE(check_logged_entry(log.entry(1), s.entry(), target()).ok());
  LogTarget no_key{"http://127.0.0.1:8080/", std::nullopt, 1000};  // without --log-key: parsed, not checked
  EXPECT_TRUE(check_logged_entry(log.entry(1), s.entry(), no_key).ok());
}

TEST_F(LogSign, RefusesAnEntryThatIsNotTheOneSubmitted) {
  const auto other_chart = check_logged_entry(log.entry(1), s.entry("api"), target());
  ASSERT_FALSE(other_chart.ok());
  EXPECT_EQ(other_chart.error().message,
            "log answer: the logged entry is not the one submitted: its chart name differs");
  const auto other_version = check_logged_entry(log.entry(1), s.entry("web", "0.2.0"), target());
  ASSERT_FALSE(other_version.ok());
  EXPECT_NE(other_version.error().message.find("its chart version differs"), std::string::npos);
  const auto not_an_entry = check_logged_entry(log.entry(0), s.entry(), target());
  ASSERT_FALSE(not_an_entry.ok());
  EXPECT_NE(not_an_entry.error().message.find("log answer: the entry: "), std::string::npos);
}

TEST_F(LogSign, RefusesAProofOrCheckpointThatDoesNotHold) {
  auto e = log.entry(1);
  e.proof->hashes[0][0] ^= 1;
  auto r = check_logged_entry(e, s.entry(), target());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "log answer: the inclusion proof does not lead to the root hash");

  e = log.entry(1);
  e.log_index = 2;
  EXPECT_FALSE(check_logged_entry(e, s.entry(), target()).ok());

  // A checkpoint signed by another key under the same name.
  TestLog impostor{"127.0.0.1", key_of("ed25519")};
  for (const auto& l : log.leaves) impostor.add(std::string(l.begin(), l.end()));
  r = check_logged_entry(impostor.entry(1), s.entry(), target());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "log answer: the checkpoint is not signed by the log key");

  // The log signs under another origin than the URL's host: Sigstore verifiers could not match it.
  r = check_logged_entry(log.entry(1), s.entry(), LogTarget{"http://log.example.com", std::nullopt, 1000});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "log answer: the checkpoint's origin 127.0.0.1 is not the log URL's host log.example.com");

  e = log.entry(1);
  e.log_id[0] ^= 1;
  r = check_logged_entry(e, s.entry(), target());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "log answer: the entry's logId is not the log key's");

  e = log.entry(1);
  e.kind = "dsse";
  EXPECT_FALSE(check_logged_entry(e, s.entry(), target()).ok());
  e = log.entry(1);
  e.proof.reset();
  EXPECT_FALSE(check_logged_entry(e, s.entry(), target()).ok());
}

TEST_F(LogSign, TheRequestIsTheLogDesignsShape) {
  const auto request = log_request(s.entry());
  ASSERT_TRUE(request.ok());
  const auto j = nlohmann::json::parse(*request);
  EXPECT_EQ(j["chartprov"], (nlohmann::json{{"chart", "web"}, {"envelope", "sigstore-bundle"}, {"version", "0.1.0"}}));
  EXPECT_EQ(j["hashedRekordRequestV002"]["digest"], base64_encode(s.digest));
  EXPECT_EQ(j["hashedRekordRequestV002"]["signature"]["verifier"]["keyDetails"], "PKIX_ECDSA_P256_SHA_256");
  auto bad = s.entry("web!", "0.1.0");
  EXPECT_FALSE(log_request(bad).ok());
}

TEST_F(LogSign, TheTrustedRootNamesTheLogAndReadsBack) {
  test::TempDir dir;
  LogTrustedRootRequest req;
  req.url = "http://127.0.0.1:8080";
  req.public_key = write_public_key(dir, log.key.key, "log.pub");
  req.valid_from = 1765000000;
  const auto text = make_log_trusted_root(req);
  ASSERT_TRUE(text.ok()) << text.error().message;
  const auto root = sigstore::parse_trusted_root(*text);
  ASSERT_TRUE(root.ok()) << root.error().message;
  ASSERT_EQ(root->tlogs.size(), 1u);
  EXPECT_EQ(root->tlogs[0].origin, "127.0.0.1");
  EXPECT_EQ(root->tlogs[0].key_details, "PKIX_ED25519");
  EXPECT_EQ(root->tlogs[0].valid.start, 1765000000);
  EXPECT_EQ(root->tlogs[0].log_id, *tlog::tile_log_id(log.key.key, "127.0.0.1"));
  // Its first 4 bytes are the key id of the checkpoint's signature line.
  const auto cp = tlog::parse_checkpoint(log.checkpoint());
  EXPECT_EQ(Bytes(root->tlogs[0].log_id.begin(), root->tlogs[0].log_id.begin() + 4), cp->signatures.at(0).key_hint);
  EXPECT_NE(text->find("\"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\""),
            std::string::npos);

  req.origin = "log.example.com";
  auto r = make_log_trusted_root(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("--origin log.example.com is not the URL's host 127.0.0.1"), std::string::npos);
  req.origin.reset();
  req.public_key = write_public_key(dir, s.signer, "p256.pub");
  r = make_log_trusted_root(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("a log key is Ed25519"), std::string::npos);
  req.public_key = dir / "log.pub";
  req.url = "ftp://127.0.0.1";
  EXPECT_FALSE(make_log_trusted_root(req).ok());
  req.url = "http://127.0.0.1/?token=1";
  EXPECT_FALSE(make_log_trusted_root(req).ok());
}

// The bundle `sign --log` writes verifies offline against the root, for this chart only.
TEST_F(LogSign, TheBundleVerifiesOfflineForItsChartOnly) {
  test::TempDir dir;
  LogTrustedRootRequest req{"http://127.0.0.1:8080", write_public_key(dir, log.key.key, "log.pub"), std::nullopt, 0};
  const auto root = sigstore::parse_trusted_root(*make_log_trusted_root(req));
  ASSERT_TRUE(root.ok());
  const std::string bundle = sigstore::write_message_bundle("SHA2_256", s.digest, s.signature,
                                                            *crypto::spki_key_id_bytes(s.signer), {log.entry(1)});
  const tlog::ExpectedChart web{"web", "0.1.0"};
  auto c = verify_bundle(ByteView(s.artifact), bundle, s.signer, &*root, &web);
  EXPECT_TRUE(c.verified) << c.reason;
  EXPECT_EQ(c.tlog_entries_verified, 1);
  ASSERT_EQ(c.log_entries.size(), 1u);
  EXPECT_EQ(c.log_entries[0].origin, "127.0.0.1");
  EXPECT_EQ(c.log_entries[0].tree_size, 3u);

  const tlog::ExpectedChart api{"api", "0.1.0"};
  c = verify_bundle(ByteView(s.artifact), bundle, s.signer, &*root, &api);
  EXPECT_FALSE(c.verified);
  EXPECT_EQ(c.reason, "transparency log: the log entry is for chart web 0.1.0, not api 0.1.0");

  // A trusted root that lists another log key: the entry's log is not there.
  TestLog other{"127.0.0.1", key_of("ed25519")};
  LogTrustedRootRequest other_req{"http://127.0.0.1:8080", write_public_key(dir, other.key.key, "other.pub"),
                                  std::nullopt, 0};
  const auto other_root = sigstore::parse_trusted_root(*make_log_trusted_root(other_req));
  c = verify_bundle(ByteView(s.artifact), bundle, s.signer, &*other_root, &web);
  EXPECT_FALSE(c.verified);
  EXPECT_NE(c.reason.find("is not in the trusted root"), std::string::npos);

  // A bundle without the entry, where the root lists the log.
  const std::string bare = sigstore::write_message_bundle(s.digest, s.signature, *crypto::spki_key_id_bytes(s.signer));
  c = verify_bundle(ByteView(s.artifact), bare, s.signer, &*root, &web);
  EXPECT_FALSE(c.verified);
  EXPECT_EQ(c.reason, "the trusted root lists transparency logs but the bundle has no entry in one");
}

// --- the verifier's checkpoint state ---

TileGetter tiles_of(const TestLog& log) {
  return [&log](const std::string& /*base_url*/, const tlog::TileId& t) { return log.tree.tile(t); };
}

policy::LogInclusion inclusion_of(const TestLog& log) {
  policy::LogInclusion i;
  i.origin = log.origin;
  i.base_url = "http://" + log.origin;
  i.checkpoint = log.checkpoint();
  i.tree_size = log.tree.size();
  return i;
}

TEST(TlogState, AGrowingLogIsProvenConsistentAndKept) {
  TestLog log{"127.0.0.1", key_of("ed25519")};
  for (int i = 0; i < 300; ++i) log.add("leaf " + std::to_string(i));
  TlogState state;
  EXPECT_TRUE(check_checkpoints(state, {inclusion_of(log)}, tiles_of(log)).problems.empty());
  EXPECT_EQ(state.at("127.0.0.1").size, 300u);
  const auto old = inclusion_of(log);
  for (int i = 300; i < 777; ++i) log.add("leaf " + std::to_string(i));
  auto check = check_checkpoints(state, {inclusion_of(log)}, tiles_of(log));
  EXPECT_TRUE(check.problems.empty()) << check.problems.at(0);
  EXPECT_EQ(state.at("127.0.0.1").size, 777u);
  // An older checkpoint is proven a prefix of the saved one and changes nothing.
  check = check_checkpoints(state, {old}, tiles_of(log));
  EXPECT_TRUE(check.problems.empty()) << check.problems.at(0);
  EXPECT_EQ(state.at("127.0.0.1").size, 777u);
  // The state file reads back.
  const auto back = parse_tlog_state(write_tlog_state(state));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->at("127.0.0.1").root, state.at("127.0.0.1").root);
}

TEST(TlogState, TwoLogsOfOneKeyAndOriginAreASplitView) {
  TestLog a{"127.0.0.1", ed25519_of(7)};
  TestLog b{"127.0.0.1", ed25519_of(7)};
  for (int i = 0; i < 5; ++i) a.add("leaf " + std::to_string(i));
  for (int i = 0; i < 5; ++i) b.add(i == 3 ? "forked" : "leaf " + std::to_string(i));
  TlogState state;
  EXPECT_TRUE(check_checkpoints(state, {inclusion_of(a)}, tiles_of(a)).problems.empty());
  // Same size, another root.
  auto check = check_checkpoints(state, {inclusion_of(b)}, tiles_of(b));
  EXPECT_TRUE(check.split_view);
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_EQ(check.problems[0].rfind("split view: log 127.0.0.1 showed a checkpoint of 5 leaves", 0), 0u)
      << check.problems[0];
  // A larger tree that does not extend the saved one: its tiles give no proof that holds.
  b.add("more");
  b.add("more");
  check = check_checkpoints(state, {inclusion_of(b)}, tiles_of(b));
  EXPECT_TRUE(check.split_view);
  EXPECT_EQ(state.at("127.0.0.1").size, 5u);  // the state is not moved to the other view
  // A smaller tree that is not a prefix of the saved one.
  TestLog c{"127.0.0.1", ed25519_of(7)};
  for (int i = 0; i < 3; ++i) c.add("other " + std::to_string(i));
  check = check_checkpoints(state, {inclusion_of(c)}, tiles_of(a));
  EXPECT_TRUE(check.split_view);
}

TEST(TlogState, AnUnreachableLogFailsClosed) {
  TestLog log{"127.0.0.1", key_of("ed25519")};
  log.add("a");
  TlogState state;
  EXPECT_TRUE(check_checkpoints(state, {inclusion_of(log)}, tiles_of(log)).problems.empty());
  log.add("b");
  const TileGetter down = [](const std::string&, const tlog::TileId&) -> Result<Bytes> {
    return input_error("connection refused");
  };
  const auto check = check_checkpoints(state, {inclusion_of(log)}, down);
  EXPECT_FALSE(check.split_view);
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_EQ(check.problems[0],
            "tlog state: cannot prove the checkpoint of log 127.0.0.1 consistent: connection refused");
  EXPECT_EQ(state.at("127.0.0.1").size, 1u);
}

TEST(TlogState, ACorruptStateFileIsAnInputError) {
  for (const char* text : {"", "[]", R"({"version":2,"logs":{}})", R"({"version":1,"logs":[]})",
                           R"({"version":1,"logs":{"a":{"size":"01","root":"AA==","checkpoint":""}}})",
                           R"({"version":1,"logs":{"a":{"size":"1","root":"AA==","checkpoint":""}}})",
                           R"({"version":1,"logs":{"a":{"size":1,"root":"","checkpoint":""}}})"}) {
    const auto r = parse_tlog_state(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().kind, ErrorKind::kInput);
    EXPECT_EQ(r.error().message.rfind("tlog state: ", 0), 0u);
  }
}

}  // namespace
}  // namespace chartprov::app
