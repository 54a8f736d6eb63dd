// The log monitor (issue 17): a real tlog::HashTree and encoded entry bundles
// as the log, real keys, a real Fulcio certificate (sigstore-conformance's
// happy path) and a real OpenPGP certificate (tests/data/helm) as signers.
#include <gtest/gtest.h>

#include <map>

#include "app/events/event_json.hpp"
#include "app/log/entry_judgement.hpp"
#include "app/log/monitor.hpp"
#include "app/log/monitor_state.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "support/keyless_vectors.hpp"
#include "support/test_support.hpp"
#include "tlog/chart_entry.hpp"
#include "tlog/hash_tree.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app::log {
namespace {

constexpr const char* kOrigin = "log.example.com";
constexpr std::int64_t kT0 = 1765000000;  // the entries' log time
constexpr const char* kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
// gpg --with-colons --show-keys tests/data/helm/generated/keys/ed25519.pub.gpg
constexpr const char* kEd25519Fingerprint = "03B5E3E754E8F266C27A89836482BABC9E05FF81";

crypto::PKey generate(const char* spec) { return crypto::generate_key(spec).value(); }
Bytes spki(const crypto::PKey& k) { return crypto::spki_der(k).value(); }

// An in-memory log: the tree, the entries, and checkpoints signed by its key.
class MemoryLog final : public LogReader {
 public:
  explicit MemoryLog(const char* origin = kOrigin) : key_(tlog::make_note_key(generate("ed25519"), origin).value()) {}

  void append(const Bytes& leaf) {
    ASSERT_TRUE(tree_.append(tlog::leaf_hash(leaf)).ok());
    entries_.push_back(leaf);
  }
  void append(const tlog::ChartEntry& e) { append(as_bytes_copy(tlog::chart_entry_body(e).value())); }
  static Bytes as_bytes_copy(const std::string& s) { return Bytes(s.begin(), s.end()); }

  std::string signed_checkpoint(std::uint64_t size) const {
    return tlog::sign_note(tlog::checkpoint_body(key_.name, size, tree_.root(size).value()).value(), key_).value();
  }

  Result<std::string> checkpoint() override {
    if (unreachable) return input_error("log http://log.example.com/checkpoint: connection refused");
    if (checkpoint_override) return *checkpoint_override;
    return signed_checkpoint(tree_.size());
  }
  Result<std::vector<Bytes>> tiles(const std::vector<tlog::TileId>& ids) override {
    std::vector<Bytes> out;
    for (const auto& id : ids) {
      ++fetched;
      if (!id.entries) {
        TRY(Bytes t, tree_.tile(id));
        out.push_back(std::move(t));
        continue;
      }
      std::vector<Bytes> bundle;
      for (std::uint64_t i = id.index * 256; i < id.index * 256 + id.width; ++i) {
        if (i >= entries_.size()) return input_error("log: HTTP 404");
        bundle.push_back(served_entry ? served_entry(i, entries_[i]) : entries_[i]);
      }
      TRY(Bytes b, tlog::encode_entry_bundle(bundle));
      out.push_back(std::move(b));
    }
    return out;
  }

  MonitoredLog monitored() const {
    return MonitoredLog{"http://log.example.com", kOrigin, crypto::parse_spki_der(spki(key_.key)).value()};
  }

  bool unreachable = false;
  std::optional<std::string> checkpoint_override;
  std::function<Bytes(std::uint64_t, const Bytes&)> served_entry;  // what the log serves instead
  std::size_t fetched = 0;

 private:
  tlog::NoteKey key_;
  tlog::HashTree tree_;
  std::vector<Bytes> entries_;
};

struct Signer {
  crypto::PKey key = generate("ecdsa-p256");
  std::string id = crypto::spki_key_id(key).value();
};

tlog::ChartEntry key_entry(const Signer& s, const std::string& chart, std::int64_t time = kT0,
                           const std::string& version = "1.0.0") {
  tlog::ChartEntry e;
  e.event = {chart, version, "sigstore-bundle", time};
  e.digest = crypto::sha256(as_bytes(chart + version));
  e.signature = crypto::sign_digest_encoded(s.key, crypto::DigestAlg::kSha256, e.digest).value();
  e.public_key = spki(s.key);
  e.key_details = "PKIX_ECDSA_P256_SHA_256";
  return e;
}

// A keyless signature of the conformance suite's happy path: its certificate, digest and
// signature, which verify; the chart's name is the entry's claim.
constexpr const char* kHappyPath = "bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json";
tlog::ChartEntry certificate_entry(const std::string& chart) {
  const nlohmann::json bundle = test::keyless_json(kHappyPath);
  tlog::ChartEntry e;
  e.event = {chart, "1.0.0", "sigstore-bundle", kT0};
  e.digest = test::keyless_base64(bundle["messageSignature"]["messageDigest"]["digest"]);
  e.signature = test::keyless_base64(bundle["messageSignature"]["signature"]);
  e.certificate = test::bundle_leaf(kHappyPath);
  e.key_details = "PKIX_ECDSA_P256_SHA_256";
  return e;
}

// helm's own .prov for demo 0.1.0, signed by the Ed25519 OpenPGP key on 2026-11-25, logged after.
constexpr std::int64_t kProvTime = 1796000000;
tlog::ChartEntry prov_entry() {
  const std::string dir = "helm/generated/cases/ok-helm-ed25519/";
  tlog::ChartEntry e;
  e.kind = tlog::EntryKind::helm_prov;
  e.event = {"demo", "0.1.0", "prov", kProvTime};
  e.digest = crypto::sha256(read_file(test::data(dir + "demo-0.1.0.tgz")).value());
  e.provenance = read_file(test::data(dir + "demo-0.1.0.tgz.prov")).value();
  e.openpgp_key = read_file(test::data("helm/generated/keys/ed25519.pub.gpg")).value();
  return e;
}

trust::SigningKey listed(const Signer& s, std::vector<std::string> charts) {
  trust::SigningKey k;
  k.key.key_id = s.id;
  k.key.algorithm = "ecdsa-p256";
  k.key.key = crypto::parse_spki_der(spki(s.key)).value();
  k.owner = "team";
  k.allowed_charts = std::move(charts);
  k.allowed_environments = {"*"};
  return k;
}

trust::SigningIdentity listed_identity(std::vector<std::string> charts) {
  trust::SigningIdentity i;
  i.owner = "ci";
  i.identity.subject = policy::TextMatch::exact(kBeacon).value();
  i.identity.issuer = policy::TextMatch::exact("https://token.actions.githubusercontent.com").value();
  i.allowed_charts = std::move(charts);
  i.allowed_environments = {"*"};
  return i;
}

std::multimap<std::string, std::uint64_t> codes(const RoundResult& r) {
  std::multimap<std::string, std::uint64_t> out;
  for (const auto& a : r.alerts) out.emplace(a.reason_code, a.index.value_or(~std::uint64_t{0}));
  return out;
}

class Monitor : public ::testing::Test {
 protected:
  Monitor() {
    root.signing_keys.push_back(listed(team, {"web", "api-*"}));
    auto old = listed(retired, {"web"});
    old.not_after = kT0 - 100;
    root.signing_keys.push_back(std::move(old));
    auto gone = listed(stolen, {"web"});
    gone.revoked = true;
    gone.revoked_at = kT0 - 10;
    root.signing_keys.push_back(std::move(gone));
  }
  RoundResult round(const std::optional<MonitorState>& state = std::nullopt, std::vector<std::string> watch = {}) {
    EntryJudge judge(root, std::move(watch));
    return check_log(log, log.monitored(), state, judge);
  }

  MemoryLog log;
  Signer team, retired, stolen, stranger;
  trust::TrustRoot root;
};

TEST_F(Monitor, CountsEntriesOfListedKeysWithinTheirScope) {
  log.append(key_entry(team, "web"));
  log.append(key_entry(team, "api-gateway"));
  const auto r = round();
  EXPECT_TRUE(r.alerts.empty());
  EXPECT_EQ(r.allowed, 2u);
  EXPECT_EQ(r.from, 0u);
  EXPECT_EQ(r.to, 2u);
  ASSERT_TRUE(r.next.has_value());
  EXPECT_EQ(r.next->range.size(), 2u);
}

TEST_F(Monitor, AlertsOnEveryMisuseOfAListedKey) {
  log.append(key_entry(team, "payments"));         // 0: outside its charts
  log.append(key_entry(retired, "web"));           // 1: after its not_after
  log.append(key_entry(stolen, "web"));            // 2: after its revocation
  log.append(key_entry(stolen, "web", kT0 - 20));  // 3: before its revocation: fine
  const auto r = round();
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{
                          {"log_key_outside_charts", 0}, {"log_key_outside_window", 1}, {"log_key_revoked", 2}}));
  EXPECT_EQ(r.allowed, 1u);
  ASSERT_EQ(r.alerts.size(), 3u);
  EXPECT_EQ(r.alerts[0].signers, std::vector<std::string>{"key " + team.id});
  EXPECT_EQ(r.alerts[0].chart, "payments");
  EXPECT_EQ(r.alerts[0].digest, "sha256:" + hex_encode(crypto::sha256(as_bytes("payments1.0.0"))));
  EXPECT_TRUE(r.alerts[0].critical);
  EXPECT_FALSE(r.alerts[1].critical);  // a window: a warning
  EXPECT_NE(r.alerts[2].reason.find("after its revocation"), std::string::npos) << r.alerts[2].reason;
  EXPECT_TRUE(r.next.has_value());  // findings about entries do not stop the state
}

TEST_F(Monitor, AlertsOnAnUnlistedKeyOnlyForAWatchedChart) {
  log.append(key_entry(stranger, "web"));           // watched: team may sign it
  log.append(key_entry(stranger, "api-x"));         // watched by a glob
  log.append(key_entry(stranger, "someone-else"));  // nobody's
  auto r = round();
  EXPECT_EQ(codes(r),
            (std::multimap<std::string, std::uint64_t>{{"log_unlisted_signer", 0}, {"log_unlisted_signer", 1}}));
  EXPECT_EQ(r.unwatched, 1u);
  r = round(std::nullopt, {"someone-*"});
  EXPECT_EQ(r.alerts.size(), 3u);
  EXPECT_EQ(r.unwatched, 0u);
}

TEST_F(Monitor, JudgesAnIdentityByTheCertificate) {
  root.signing_identities.push_back(listed_identity({"web"}));
  log.append(certificate_entry("web"));       // listed, in scope
  log.append(certificate_entry("payments"));  // outside its charts, not watched otherwise
  auto r = round();
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_identity_outside_charts", 1}}));
  EXPECT_EQ(r.alerts[0].signers, std::vector<std::string>{std::string("identity ") + kBeacon +
                                                          " (issuer https://token.actions.githubusercontent.com)"});
  root.signing_identities.clear();  // unlisted now: web is still watched (team's key)
  r = round();
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_unlisted_signer", 0}}));
}

TEST_F(Monitor, JudgesAProvenanceEntryByItsOpenPgpFingerprint) {
  log.append(prov_entry());
  auto r = round();  // the key is not listed, and nobody watches demo
  EXPECT_TRUE(r.alerts.empty());
  EXPECT_EQ(r.unwatched, 1u);
  r = round(std::nullopt, {"demo"});
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_unlisted_signer", 0}}));
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].signers, std::vector<std::string>{std::string("openpgp ") + kEd25519Fingerprint});
  trust::SigningKey k;
  k.key.key_id = "openpgp";
  k.openpgp_fingerprint = kEd25519Fingerprint;
  k.owner = "helm";
  k.allowed_charts = {"web"};
  root.signing_keys.push_back(std::move(k));
  r = round();
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_key_outside_charts", 0}}));
  root.signing_keys.back().allowed_charts = {"demo"};
  r = round();
  EXPECT_TRUE(r.alerts.empty());
  EXPECT_EQ(r.allowed, 1u);
}

// Before an alert names a key, its signature is checked again: one that does not verify is the
// log's doing (corrupt, or forging entries to frame a key holder), and the alert says so.
TEST_F(Monitor, AnEntryWhoseSignatureDoesNotVerifyImplicatesTheLogNotTheKey) {
  auto forged = key_entry(team, "payments");  // would be: team's key outside its charts
  forged.signature = key_entry(team, "web").signature;
  log.append(forged);
  auto bad_prov = prov_entry();
  bad_prov.digest = crypto::sha256(as_bytes("another archive"));
  log.append(bad_prov);
  auto bad_cert = certificate_entry("web");  // would be: an unlisted identity for a watched chart
  bad_cert.digest = crypto::sha256(as_bytes("another archive"));
  log.append(bad_cert);
  log.append(key_entry(stranger, "web"));  // a real unlisted signer still alerts as such
  const auto r = round(std::nullopt, {"demo"});
  EXPECT_EQ(
      codes(r),
      (std::multimap<std::string, std::uint64_t>{
          {"log_forged_entry", 0}, {"log_forged_entry", 1}, {"log_forged_entry", 2}, {"log_unlisted_signer", 3}}));
  ASSERT_EQ(r.alerts.size(), 4u);
  EXPECT_TRUE(r.alerts[0].critical);
  EXPECT_NE(r.alerts[0].reason.find("entry 0 holds a signature for chart \"payments\" 1.0.0 that does not verify "
                                    "(the signature does not verify over the digest)"),
            std::string::npos)
      << r.alerts[0].reason;
  EXPECT_NE(r.alerts[0].reason.find("key " + team.id + " is not implicated"), std::string::npos) << r.alerts[0].reason;
  EXPECT_NE(r.alerts[1].reason.find("the provenance"), std::string::npos) << r.alerts[1].reason;
  EXPECT_EQ(r.alerts[0].chart, "payments");
  EXPECT_TRUE(r.next.has_value());  // the tree itself is proven: the state advances
}

// An audit (log monitor --verify-signatures) checks the entries that raise nothing too.
TEST_F(Monitor, AnAuditChecksEverySignatureNotOnlyFindings) {
  auto quiet = key_entry(team, "web");  // would be allowed
  quiet.signature = key_entry(team, "api-x").signature;
  log.append(quiet);
  auto unwatched = key_entry(stranger, "someone-else");  // would be unwatched
  unwatched.digest = crypto::sha256(as_bytes("another archive"));
  log.append(unwatched);
  log.append(key_entry(team, "web", kT0, "2.0.0"));  // good
  EntryJudge judge(root, {});
  auto r = check_log(log, log.monitored(), std::nullopt, judge);
  EXPECT_TRUE(r.alerts.empty()) << "without the audit, entries without a finding are not checked";
  EXPECT_EQ(r.allowed, 2u);
  r = check_log(log, log.monitored(), std::nullopt, judge, /*every_signature=*/true);
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_forged_entry", 0}, {"log_forged_entry", 1}}));
  EXPECT_EQ(r.allowed, 1u);
  EXPECT_EQ(r.unwatched, 0u);
}

TEST_F(Monitor, AnUnreadableEntryIsAnAlertAndTheTreeStillCounts) {
  log.append(key_entry(team, "web"));
  log.append(MemoryLog::as_bytes_copy("{\"kind\": \"hashedrekord\"}"));
  const auto r = round();
  EXPECT_EQ(codes(r), (std::multimap<std::string, std::uint64_t>{{"log_bad_entry", 1}}));
  EXPECT_TRUE(r.next.has_value());
}

TEST_F(Monitor, RefusesACheckpointTheLogKeyDidNotSign) {
  log.append(key_entry(team, "web"));
  MemoryLog other;
  other.append(key_entry(team, "web"));
  log.checkpoint_override = other.signed_checkpoint(1);  // same origin, same tree, another key
  auto r = round();
  EXPECT_EQ(codes(r).count("log_bad_checkpoint"), 1u);
  EXPECT_FALSE(r.next.has_value());
  MemoryLog elsewhere("other.example.com");
  elsewhere.append(key_entry(team, "web"));
  log.checkpoint_override = elsewhere.signed_checkpoint(1);
  r = round();
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].reason, "the log's checkpoint names origin \"other.example.com\", not \"log.example.com\"");
  log.checkpoint_override = "not a checkpoint";
  EXPECT_EQ(codes(round()).count("log_bad_checkpoint"), 1u);
}

TEST_F(Monitor, AnUnreachableLogIsAWarningAndKeepsTheState) {
  log.unreachable = true;
  const auto r = round();
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].reason_code, "log_unreachable");
  EXPECT_FALSE(r.alerts[0].critical);
  EXPECT_FALSE(r.next.has_value());
}

TEST_F(Monitor, ContinuesFromItsStateWithoutReadingOrAlertingTwice) {
  for (int i = 0; i < 300; ++i) log.append(key_entry(i == 7 ? stranger : team, "web", kT0, std::to_string(i)));
  auto first = round();
  EXPECT_EQ(codes(first), (std::multimap<std::string, std::uint64_t>{{"log_unlisted_signer", 7}}));
  ASSERT_TRUE(first.next.has_value());
  // Through the file, as a restart reads it.
  test::TempDir dir;
  ASSERT_TRUE(save_monitor_state(dir / "state.json", *first.next).ok());
  auto state = load_monitor_state(dir / "state.json");
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_TRUE(state->has_value());

  auto same = round(*state);  // nothing new: nothing read, nothing said
  EXPECT_TRUE(same.alerts.empty());
  EXPECT_EQ(same.from, 300u);
  EXPECT_EQ(same.to, 300u);

  for (int i = 300; i < 600; ++i) log.append(key_entry(i == 555 ? stranger : team, "web", kT0, std::to_string(i)));
  log.fetched = 0;
  auto second = round(*state);
  EXPECT_EQ(codes(second), (std::multimap<std::string, std::uint64_t>{{"log_unlisted_signer", 555}}));
  EXPECT_EQ(second.from, 300u);
  EXPECT_EQ(second.to, 600u);
  EXPECT_EQ(second.allowed, 299u);
  EXPECT_EQ(log.fetched, 2u);  // bundle 1 again (now full) and bundle 2 (partial), not bundle 0
  ASSERT_TRUE(second.next.has_value());
  EXPECT_EQ(second.next->range.root(), round().next->range.root());  // the same as reading the log from 0
}

TEST_F(Monitor, ASmallerTreeOrAnotherRootIsASplitView) {
  for (int i = 0; i < 5; ++i) log.append(key_entry(team, "web", kT0, std::to_string(i)));
  const auto first = round();
  ASSERT_TRUE(first.next.has_value());

  log.checkpoint_override = log.signed_checkpoint(3);  // the log now says it has 3
  auto r = round(first.next);
  EXPECT_EQ(codes(r).count("log_split_view"), 1u);
  EXPECT_FALSE(r.next.has_value());

  // Same key, same size, other entries: a restarted log with another database.
  MemoryLog fork;
  for (int i = 0; i < 5; ++i) fork.append(key_entry(team, "web", kT0, "other" + std::to_string(i)));
  MonitoredLog same_key = fork.monitored();
  EntryJudge judge(root, {});
  r = check_log(fork, same_key, first.next, judge);
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].reason_code, "log_split_view");
  EXPECT_TRUE(r.alerts[0].critical);
}

TEST_F(Monitor, EntriesThatDoNotMakeTheSignedTreeAreRefusedWholesale) {
  for (int i = 0; i < 3; ++i) log.append(key_entry(team, "web", kT0, std::to_string(i)));
  const auto first = round();
  for (int i = 3; i < 6; ++i) log.append(key_entry(team, "web", kT0, std::to_string(i)));
  // The log serves another entry at index 4 than the one its checkpoint covers.
  const Bytes planted = MemoryLog::as_bytes_copy(tlog::chart_entry_body(key_entry(stranger, "web")).value());
  log.served_entry = [&](std::uint64_t i, const Bytes& real) { return i == 4 ? planted : real; };
  auto r = round(first.next);
  ASSERT_EQ(r.alerts.size(), 1u);  // the planted entry's own finding is not reported: it is not the log's
  EXPECT_EQ(r.alerts[0].reason_code, "log_entries_mismatch");
  EXPECT_NE(r.alerts[0].reason.find("the log's entries do not match its checkpoint"), std::string::npos);
  EXPECT_FALSE(r.next.has_value());
}

TEST_F(Monitor, CapsTheFindingsOfOneRound) {
  for (std::size_t i = 0; i < kMaxAlertsPerRound + 20; ++i) {
    log.append(key_entry(stranger, "web", kT0, std::to_string(i)));
  }
  const auto r = round();
  ASSERT_EQ(r.alerts.size(), kMaxAlertsPerRound + 1);
  EXPECT_EQ(r.alerts.back().reason_code, "log_too_many_findings");
  EXPECT_EQ(r.alerts.back().reason,
            "20 more findings in entries 1000 to 1019 were not sent one by one: read them in "
            "the log");
  EXPECT_TRUE(r.next.has_value());
}

TEST(MonitorState, RoundTripsAndRefusesDamage) {
  MemoryLog log;
  Signer s;
  for (int i = 0; i < 7; ++i) log.append(key_entry(s, "web", kT0, std::to_string(i)));
  trust::TrustRoot root;
  EntryJudge judge(root, {});
  const auto r = check_log(log, log.monitored(), std::nullopt, judge);
  ASSERT_TRUE(r.next.has_value());
  const std::string text = serialize_monitor_state(*r.next);
  auto back = parse_monitor_state(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->range.size(), 7u);
  EXPECT_EQ(back->range.hashes(), r.next->range.hashes());
  EXPECT_EQ(back->checkpoint, r.next->checkpoint);

  const auto refusal = [](const std::string& t) {
    auto p = parse_monitor_state(t);
    return p.ok() ? std::string("accepted") : p.error().message;
  };
  EXPECT_EQ(refusal("{"), "monitor state: not a JSON object");
  EXPECT_EQ(refusal(text.substr(0, text.size() / 2)), "monitor state: not a JSON object");
  std::string other_size = text;
  other_size.replace(other_size.find("\"size\": 7"), 9, "\"size\": 6");
  EXPECT_EQ(refusal(other_size), "monitor state: compact range: 3 hashes for a tree of 6 leaves");
  std::string extra = text;
  extra.insert(1, "\"x\": 1,");
  EXPECT_EQ(refusal(extra), "monitor state: unknown member x");
  std::string other_root = text;
  const auto root_at = other_root.find("\"root\": \"") + 9;
  other_root[root_at] = other_root[root_at] == 'A' ? 'B' : 'A';
  EXPECT_EQ(refusal(other_root), "monitor state: the root is not the compact range's");

  test::TempDir dir;
  auto none = load_monitor_state(dir / "none.json");
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());
  test::write_text(dir / "bad.json", "{}");
  auto bad = load_monitor_state(dir / "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("bad.json: monitor state: version is not 1"), std::string::npos);
}

TEST(MonitorEvents, AreMonitorEventsAndAlertmanagerAlertsNamedByTheirCode) {
  MonitorAlert a;
  a.reason_code = "log_split_view";
  a.critical = true;
  a.reason = "the log signed two different trees of 5 entries";
  const Event split = monitor_event(a, "https://log.example.com", kT0);
  EXPECT_EQ(split.kind, "monitor");
  EXPECT_EQ(split.decision, "deny");
  EXPECT_TRUE(is_alert(split));
  const auto alerts = alertmanager_alerts(split, kT0, "host");
  EXPECT_EQ(alerts[0]["labels"]["alertname"], "ChartprovLogSplitView");
  EXPECT_EQ(alerts[0]["labels"]["severity"], "critical");
  EXPECT_EQ(alerts[0]["labels"]["log"], "https://log.example.com");
  const auto j = event_json(split, kT0, "host");
  EXPECT_EQ(j["log"], "https://log.example.com");
  EXPECT_TRUE(j["log_index"].is_null());

  MonitorAlert e;
  e.reason_code = "log_key_outside_window";
  e.reason = "late";
  e.index = 42;
  e.chart = "web";
  e.version = "1.0.0";
  const Event late = monitor_event(e, "https://log.example.com", kT0);
  EXPECT_EQ(late.decision, "warn");
  EXPECT_EQ(late.chart, "https://log.example.com#42");
  const auto warn = alertmanager_alerts(late, kT0, "host");
  EXPECT_EQ(warn[0]["labels"]["alertname"], "ChartprovLogKeyOutsideWindow");
  EXPECT_EQ(warn[0]["labels"]["severity"], "warning");
  EXPECT_EQ(warn[0]["labels"]["chart"], "web");
  EXPECT_EQ(event_json(late, kT0, "host")["log_index"], 42);
}

}  // namespace
}  // namespace chartprov::app::log
