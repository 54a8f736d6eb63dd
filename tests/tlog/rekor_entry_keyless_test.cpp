// Rekor entry bodies of the keyless vectors (tests/data/sigstore-keyless):
// hashedrekord 0.0.1, dsse 0.0.1 and intoto 0.0.2 with a Fulcio certificate
// (Rekor v1), hashedrekord 0.0.2 (Rekor v2) for message signatures and DSSE
// envelopes. Each row's body is checked against what its bundle says, as a
// verifier fills ExpectedEntry; the rows whose entry describes another
// signing event are refused by the body check alone.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkey.hpp"
#include "support/keyless_cases.hpp"
#include "tlog/rekor_entry.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov {
namespace {

using nlohmann::json;

// ExpectedEntry from a bundle and its artifact, the way a verifier fills it.
tlog::ExpectedEntry expected_of(const sigstore::Bundle& b, const Bytes& artifact) {
  tlog::ExpectedEntry e;
  e.certificate_der = b.certificates.at(0);
  if (b.message) {
    e.signature = b.message->signature;
    e.sha256_hex = hex_encode(crypto::sha256(artifact));
    e.signed_digest = tlog::SignedDigest{"SHA2_256", crypto::sha256(artifact)};
  } else {
    e.signature = b.dsse->signature;
    e.payload_sha256_hex = hex_encode(crypto::sha256(b.dsse->payload));
    // hashedrekord-over-DSSE: the digest of the PAE, which is what the signature is over.
    e.signed_digest =
        tlog::SignedDigest{"SHA2_256", crypto::sha256(sigstore::dsse_pae(b.dsse->payload_type, b.dsse->payload))};
  }
  return e;
}

struct Row {
  test::KeylessCase c;
  sigstore::Bundle bundle;
  Bytes artifact;
  const sigstore::TlogEntry& entry() const { return bundle.tlog_entries.at(0); }
  Status check(const tlog::ExpectedEntry& e) const {
    return tlog::check_entry_body(entry().body, entry().kind, entry().version, e);
  }
  Status check() const { return check(expected_of(bundle, artifact)); }
};

std::optional<Row> row_of(const test::KeylessCase& c) {
  auto b = sigstore::parse_bundle(test::read_text(test::KeylessCase::path(c.bundle)));
  if (!b || b->tlog_entries.empty()) return std::nullopt;
  auto artifact = read_file(test::KeylessCase::path(c.artifact), 1u << 20);
  if (!artifact) return std::nullopt;
  return Row{c, std::move(*b), std::move(*artifact)};
}

Row row(const std::string& id) {
  auto r = row_of(test::keyless_case(id));
  if (!r) ADD_FAILURE() << id << " has no parseable bundle with a log entry";
  return std::move(*r);
}

// The rows whose log entry is of another signing event than their bundle's
// (derived from the bundles with a Python reading of the same fields).
const std::map<std::string, std::string>& mismatched_entries() {
  static const std::map<std::string, std::string> rows = {
      {"conf/wrong-hashedrekord-artifact_fail", "the log entry records another artifact digest"},
      {"conf/wrong-hashedrekord-entry_fail", "the log entry records another artifact digest"},
      {"conf/wrong-material_fail", "the log entry records another artifact digest"},
      {"conf/wrong-hashedrekord-cert-and-sig_fail", "the log entry records another signature"},
      {"conf/signature-mismatch_fail", "the log entry records another signature"},
      {"py/bundle_cve_2022_36056.txt", "the log entry records another signature"},
      {"conf/incorrect-public-key_fail", "the log entry names another certificate"},
      {"conf/dsse-invalid-sig_fail", "the log entry records another signature"},
      {"conf/dsse-mismatch-envelope_fail", "the log entry records another signature"},
      {"conf/dsse-mismatch-sig_fail", "the log entry records another signature"},
      {"conf/intoto-log-entry-mismatch_fail", "the log entry records another signature"},
      {"conf/rekor2-dsse-invalid-sig_fail", "the log entry records another signature"},
      {"conf/rekor2-dsse-mismatch-envelope_fail", "the log entry records another digest"},
      {"conf/rekor2-dsse-mismatch-sig_fail", "the log entry records another signature"},
  };
  return rows;
}

TEST(KeylessEntryBody, EveryRowsEntryDescribesItsBundleButTheMismatchedOnes) {
  std::map<std::string, int> kinds;
  for (const auto& c : test::keyless_cases()) {
    auto r = row_of(c);
    if (!r) continue;
    kinds[r->entry().kind + " " + r->entry().version]++;
    const auto status = r->check();
    const auto mismatch = mismatched_entries().find(c.id);
    if (mismatch == mismatched_entries().end()) {
      EXPECT_TRUE(status.ok()) << c.id << ": " << status.error().message;
    } else {
      EXPECT_EQ(c.expect, "fail") << c.id;
      ASSERT_FALSE(status.ok()) << c.id;
      EXPECT_EQ(status.error().message, mismatch->second) << c.id;
    }
  }
  EXPECT_GE(kinds["hashedrekord 0.0.1"], 20);
  EXPECT_GE(kinds["hashedrekord 0.0.2"], 20);
  EXPECT_GE(kinds["dsse 0.0.1"], 4);
  EXPECT_GE(kinds["intoto 0.0.2"], 5);
  std::size_t seen = 0;
  for (const auto& [id, why] : mismatched_entries()) seen += row_of(test::keyless_case(id)).has_value();
  EXPECT_EQ(seen, mismatched_entries().size());
}

// Rekor v2 logs a DSSE envelope as hashedrekord 0.0.2 over the digest of its
// PAE: the payload's digest (what sigstore-js compares, and fails on) is not it.
TEST(KeylessEntryBody, ARekorV2DsseEntryRecordsTheDigestOfThePae) {
  for (const char* id : {"conf/rekor2-dsse-happy-path", "py/a.dsse.staging-rekor-v2.txt"}) {
    const Row r = row(id);
    ASSERT_TRUE(r.bundle.dsse.has_value()) << id;
    EXPECT_EQ(r.entry().kind, "hashedrekord");
    EXPECT_TRUE(r.check().ok()) << id;
    auto payload_digest = expected_of(r.bundle, r.artifact);
    payload_digest.signed_digest->digest = crypto::sha256(r.bundle.dsse->payload);
    EXPECT_EQ(r.check(payload_digest).error().message, "the log entry records another digest") << id;
  }
}

TEST(KeylessEntryBody, ACertificateEntryNeedsTheBundlesLeafCertificate) {
  for (const char* id : {"conf/happy-path-v0.1", "conf/happy-path-intoto-in-dsse-v3",
                         "conf/intoto-with-custom-trust-root", "conf/rekor2-happy-path"}) {
    const Row r = row(id);
    const auto good = expected_of(r.bundle, r.artifact);
    ASSERT_TRUE(r.check(good).ok()) << id;
    auto other = good;
    other.certificate_der->back() ^= 1;
    EXPECT_EQ(r.check(other).error().message, "the log entry names another certificate") << id;
    auto key_only = good;
    key_only.certificate_der.reset();
    key_only.spki = crypto::spki_der(crypto::generate_key("ecdsa-p256").value()).value();
    EXPECT_EQ(r.check(key_only).error().message, "the log entry names a certificate, not the bundle's public key")
        << id;
    auto nothing = good;
    nothing.certificate_der.reset();
    EXPECT_EQ(r.check(nothing).error().message, "nothing to compare the log entry's key with") << id;
    auto other_sig = good;
    other_sig.signature.back() ^= 1;
    EXPECT_EQ(r.check(other_sig).error().message, "the log entry records another signature") << id;
  }
}

// Mutations of the real Rekor v2 body of conf/rekor2-happy-path.
TEST(KeylessEntryBody, RekorV2HashedRekordFields) {
  const Row r = row("conf/rekor2-happy-path");
  const auto e = expected_of(r.bundle, r.artifact);
  const json body = json::parse(as_chars(r.entry().body));
  const auto check = [&](const json& b, const tlog::ExpectedEntry& x) {
    return tlog::check_entry_body(as_bytes(b.dump()), "hashedrekord", "0.0.2", x);
  };
  ASSERT_TRUE(check(body, e).ok());
  EXPECT_EQ(json::parse(as_chars(r.entry().body)).dump(), body.dump());

  auto with_details = e;
  with_details.key_details = "PKIX_ECDSA_P256_SHA_256";
  EXPECT_TRUE(check(body, with_details).ok());
  with_details.key_details = "PKIX_ECDSA_P384_SHA_384";
  EXPECT_EQ(check(body, with_details).error().message, "the log entry names another key algorithm");

  auto sha384 = e;
  sha384.signed_digest->algorithm = "SHA2_384";
  EXPECT_EQ(check(body, sha384).error().message, "the log entry records another digest");
  auto no_digest = e;
  no_digest.signed_digest.reset();
  EXPECT_EQ(check(body, no_digest).error().message, "the log entry records another digest");

  json b = body;
  b["spec"]["hashedRekordV002"]["signature"]["verifier"].erase("x509Certificate");
  EXPECT_EQ(check(b, e).error().message, "the log entry names no public key or certificate");
  b = body;
  b["spec"]["hashedRekordV002"]["signature"]["verifier"]["publicKey"] = {{"rawBytes", "AAAA"}};
  EXPECT_EQ(check(b, e).error().message, "the log entry names no public key or certificate");
  b = body;
  b["spec"]["hashedRekordV002"].erase("signature");
  EXPECT_EQ(check(b, e).error().message, "the log entry records another signature");
  b = body;
  b["spec"] = {{"hashedRekord", body["spec"]["hashedRekordV002"]}};
  EXPECT_EQ(check(b, e).error().message, "the log entry has no hashedRekordV002 spec");
  EXPECT_EQ(tlog::check_entry_body(r.entry().body, "hashedrekord", "0.0.1", e).error().message,
            "the log entry body's kind/version differ from the bundle's");

  // A key in place of the certificate: compared with the bundle's key.
  const auto key = crypto::generate_key("ecdsa-p256").value();
  const Bytes spki = crypto::spki_der(key).value();
  b = body;
  auto& verifier = b["spec"]["hashedRekordV002"]["signature"]["verifier"];
  verifier.erase("x509Certificate");
  verifier["publicKey"] = {{"rawBytes", base64_encode(spki)}};
  EXPECT_EQ(check(b, e).error().message, "the log entry names a public key, not the bundle's certificate");
  auto by_key = e;
  by_key.certificate_der.reset();
  by_key.spki = spki;
  EXPECT_TRUE(check(b, by_key).ok());
  by_key.spki = crypto::spki_der(crypto::generate_key("ecdsa-p256").value()).value();
  EXPECT_EQ(check(b, by_key).error().message, "the log entry names another public key");
}

// dsse 0.0.2 (rekor-tiles' deprecated DSSE entry), built from the real
// bundle conf/rekor2-dsse-happy-path and its log entry's verifier.
TEST(KeylessEntryBody, RekorV2DsseEntry) {
  const Row r = row("conf/rekor2-dsse-happy-path");
  const auto e = expected_of(r.bundle, r.artifact);
  const json logged = json::parse(as_chars(r.entry().body));
  const json signature = {{"content", base64_encode(r.bundle.dsse->signature)},
                          {"verifier", logged["spec"]["hashedRekordV002"]["signature"]["verifier"]}};
  json body = {{"apiVersion", "0.0.2"},
               {"kind", "dsse"},
               {"spec",
                {{"dsseV002",
                  {{"payloadHash",
                    {{"algorithm", "SHA2_256"}, {"digest", base64_encode(crypto::sha256(r.bundle.dsse->payload))}}},
                   {"signatures", json::array({signature})}}}}}};
  const auto check = [&](const json& b) { return tlog::check_entry_body(as_bytes(b.dump()), "dsse", "0.0.2", e); };
  ASSERT_TRUE(check(body).ok()) << check(body).error().message;
  json b = body;
  b["spec"]["dsseV002"]["payloadHash"]["digest"] = base64_encode(e.signed_digest->digest);  // the PAE's: not here
  EXPECT_EQ(check(b).error().message, "the log entry records another payload");
  b = body;
  b["spec"]["dsseV002"]["payloadHash"]["algorithm"] = "SHA2_384";
  EXPECT_EQ(check(b).error().message, "the log entry records another payload");
  b = body;
  b["spec"]["dsseV002"]["signatures"].push_back(signature);
  EXPECT_EQ(check(b).error().message, "the dsse entry must hold one signature");
  b = body;
  b["spec"]["dsseV002"]["signatures"][0]["content"] = base64_encode(Bytes{1, 2, 3});
  EXPECT_EQ(check(b).error().message, "the log entry records another signature");
  b = body;
  b["spec"] = {{"hashedRekordV002", body["spec"]["dsseV002"]}};
  EXPECT_EQ(check(b).error().message, "the log entry has no dsseV002 spec");
}

// Rekor v1 verifiers are base64 of one PEM block.
TEST(KeylessEntryBody, RekorV1VerifierPem) {
  const Row r = row("conf/happy-path-v0.3");
  const auto e = expected_of(r.bundle, r.artifact);
  const json body = json::parse(as_chars(r.entry().body));
  const auto with_pem = [&](const std::string& pem) {
    json b = body;
    b["spec"]["signature"]["publicKey"]["content"] = base64_encode(as_bytes(pem));
    return tlog::check_entry_body(as_bytes(b.dump()), "hashedrekord", "0.0.1", e);
  };
  const std::string pem(
      as_chars(base64_decode(body["spec"]["signature"]["publicKey"]["content"].get<std::string>()).value()));
  ASSERT_TRUE(with_pem(pem).ok());
  std::string crlf;
  for (const char c : pem) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_TRUE(with_pem(crlf).ok());
  EXPECT_TRUE(with_pem("\n" + pem + "\n").ok());
  const std::string not_pem = "the log entry's key is not one PEM public key or certificate";
  const auto refusal = [&](const std::string& text) {
    const auto s = with_pem(text);
    return s.ok() ? std::string("accepted") : s.error().message;
  };
  EXPECT_EQ(refusal(pem + pem), not_pem);  // a chain: one block only
  EXPECT_EQ(refusal("text\n" + pem), not_pem);
  std::string relabelled = pem;
  for (const auto at : {relabelled.find("CERTIFICATE"), relabelled.rfind("CERTIFICATE")})
    relabelled.replace(at, 11, "X509 CRL   ");
  EXPECT_EQ(refusal(relabelled), not_pem);
  std::string spaced = pem;
  spaced.insert(spaced.find('\n') + 5, " \t");
  EXPECT_TRUE(with_pem(spaced).ok());  // Go's pem.Decode drops blanks in the body too
  std::string starred = pem;
  starred.insert(starred.find('\n') + 5, "*");
  EXPECT_EQ(refusal(starred), not_pem);
  EXPECT_EQ(refusal(""), "the log entry names no public key or certificate");
  json b = body;
  b["spec"]["signature"]["publicKey"]["content"] = "%%%";
  EXPECT_EQ(tlog::check_entry_body(as_bytes(b.dump()), "hashedrekord", "0.0.1", e).error().message,
            "the log entry's key is not base64");
}

}  // namespace
}  // namespace chartprov
