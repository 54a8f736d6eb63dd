// Witness cosignatures for policy.yaml's transparency_log: witnesses:
// (issue 17): C2SP cosignatures made with tlog::sign_cosignature on a signed
// checkpoint, found by app::add_witness_cosignatures for the vkeys a policy
// lists, and only those that verify.
#include <gtest/gtest.h>

#include "app/verify/witness_cosignatures.hpp"
#include "infra/openssl/pkey.hpp"
#include "policy/decision.hpp"
#include "policy/policy.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note_signer.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {
namespace {

crypto::PKey ed25519() {
  auto k = crypto::generate_key("ed25519");
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

// NAME+hex(key id)+base64(0x04 || key): the C2SP vkey of a cosignature/v1 key.
std::string vkey_of(const std::string& name, const crypto::PKey& key) {
  Bytes raw{0x04};
  const Bytes pub = *crypto::raw_public_bytes(key);
  raw.insert(raw.end(), pub.begin(), pub.end());
  return name + "+" + hex_encode(*tlog::cosignature_key_id(key, name)) + "+" + base64_encode(raw);
}

struct Witnessed {
  crypto::PKey log = ed25519();
  crypto::PKey w1 = ed25519(), w2 = ed25519(), w3 = ed25519();
  std::string body = *tlog::checkpoint_body("log.example.com", 3, tlog::leaf_hash(to_bytes("x")));
  std::string note = *tlog::sign_note(body, *tlog::make_note_key(std::move(log), "log.example.com"));

  void cosign(const std::string& name, const crypto::PKey& key) {
    note += *tlog::sign_cosignature(body, name, key, 1765000000);
  }
};

policy::Policy policy_of(const std::vector<std::string>& vkeys, int threshold) {
  std::string keys;
  for (const auto& k : vkeys) keys += (keys.empty() ? "\"" : ", \"") + k + "\"";
  const std::string yaml =
      "version: 1\nenvironments:\n  production:\n    mode: enforce\n    rules:\n      - charts: \"*\"\n"
      "        transparency_log:\n          witnesses:\n            threshold: " +
      std::to_string(threshold) + "\n            keys: [" + keys + "]\n";
  auto p = policy::parse_policy(yaml, "policy.yaml");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return *p;
}

policy::Evidence evidence_of(const std::string& checkpoint) {
  policy::EnvelopeEvidence e;
  e.format = "sigstore-bundle";
  e.source = "web-0.1.0.tgz.sigstore.json";
  e.verdict = policy::Verdict::good;
  e.key_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  e.in_transparency_log = true;
  policy::LogInclusion i;
  i.log_id = "00";
  i.origin = "log.example.com";
  i.checkpoint = checkpoint;
  e.log_entries = {i};
  policy::Evidence ev;
  ev.chart = "web-0.1.0.tgz";
  ev.name = "web";
  ev.version = "0.1.0";
  ev.envelopes = {e};
  return ev;
}

TEST(LogWitness, CountsTheCosignaturesThatVerify) {
  Witnessed w;
  w.cosign("w1.example", w.w1);
  w.cosign("w3.example", w.w3);
  const std::vector<std::string> vkeys = {vkey_of("w1.example", w.w1), vkey_of("w2.example", w.w2),
                                          vkey_of("w3.example", w.w3)};
  const policy::Policy p = policy_of(vkeys, 2);
  policy::Evidence ev = evidence_of(w.note);
  add_witness_cosignatures(p, ev);
  EXPECT_EQ(ev.envelopes[0].log_entries[0].witnesses, (std::vector<std::string>{vkeys[0], vkeys[2]}));
  EXPECT_TRUE(policy::evaluate(p, "production", ev, 1765000000).allowed);

  const policy::Policy three = policy_of(vkeys, 3);
  policy::Evidence ev3 = evidence_of(w.note);
  add_witness_cosignatures(three, ev3);
  const policy::Decision d = policy::evaluate(three, "production", ev3, 1765000000);
  EXPECT_FALSE(d.allowed);
  bool said = false;
  for (const auto& r : d.reasons)
    said = said || r.find("3 of 3 witness cosignatures are required, its checkpoint has 2 (missing: w2.example)") !=
                       std::string::npos;
  EXPECT_TRUE(said);
}

TEST(LogWitness, ACosignatureByAnotherKeyOrAWrongVkeyCountsForNothing) {
  Witnessed w;
  const crypto::PKey impostor = ed25519();
  w.cosign("w1.example", impostor);  // the name of w1, another key
  std::string wrong_id = vkey_of("w2.example", w.w2);
  wrong_id.replace(wrong_id.find('+') + 1, 8, "00000000");
  w.cosign("w2.example", w.w2);
  const policy::Policy p = policy_of({vkey_of("w1.example", w.w1), wrong_id}, 1);
  policy::Evidence ev = evidence_of(w.note);
  add_witness_cosignatures(p, ev);
  EXPECT_TRUE(ev.envelopes[0].log_entries[0].witnesses.empty());
  EXPECT_FALSE(policy::evaluate(p, "production", ev, 1765000000).allowed);
}

}  // namespace
}  // namespace chartprov::app
