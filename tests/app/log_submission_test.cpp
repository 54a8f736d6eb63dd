// Write requests to the log: accepted with real signatures (cosign's vectors, a private CA's
// certificate, helm's .prov from rekor's tests, keys made here), and every refusal of
// app/log/submission.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "app/log/submission.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "openpgp/armor.hpp"
#include "support/test_support.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"

namespace chartprov::app::log {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1765000000;

std::string b64(ByteView b) { return base64_encode(b); }
std::string b64(const std::string& s) { return base64_encode(as_bytes(s)); }

std::string chart_bytes() { return test::read_text(test::data("cosign/upstream/rekor/test-0.1.0.tgz")); }
Bytes chart_digest() { return crypto::sha256(as_bytes(chart_bytes())); }

Bytes pem_body(const std::string& pem) {
  std::string text;
  bool in = false;
  std::size_t at = 0;
  while (at < pem.size()) {
    const auto nl = pem.find('\n', at);
    const std::string line = pem.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? pem.size() : nl + 1;
    if (line.starts_with("-----BEGIN"))
      in = true;
    else if (line.starts_with("-----END"))
      break;
    else if (in)
      text += line;
  }
  auto der = base64_decode(text);
  EXPECT_TRUE(der.ok());
  return der.ok() ? *der : Bytes{};
}

json chartprov_member(const std::string& envelope) {
  return {{"chart", "test"}, {"version", "0.1.0"}, {"envelope", envelope}};
}

json rekord(ByteView digest, ByteView signature, ByteView spki, const std::string& details) {
  json verifier = {{"publicKey", {{"rawBytes", b64(spki)}}}, {"keyDetails", details}};
  json signed_part = {{"content", b64(signature)}, {"verifier", verifier}};
  json request = {{"digest", b64(digest)}, {"signature", signed_part}};
  return {{"hashedRekordRequestV002", request}, {"chartprov", chartprov_member("sigstore-bundle")}};
}

// The cosign vector: chartprov-p256's `cosign sign-blob` signature over rekor's test chart.
json cosign_request() {
  const auto pub =
      crypto::parse_public_key_pem(test::read_text(test::data("cosign/generated/keys/chartprov-p256.pub")));
  EXPECT_TRUE(pub.ok());
  const auto spki = crypto::spki_der(*pub);
  const auto sig = base64_decode(test::read_text(test::data("cosign/generated/blob/test-0.1.0.tgz.sig")));
  EXPECT_TRUE(sig.ok());
  return rekord(chart_digest(), *sig, *spki, "PKIX_ECDSA_P256_SHA_256");
}

std::string refusal(const json& request) {
  const auto s = parse_submission(request.dump(), kNow);
  EXPECT_FALSE(s.ok()) << request.dump();
  return s.ok() ? std::string() : s.error().message;
}

std::string refusal(const std::string& body) {
  const auto s = parse_submission(body, kNow);
  EXPECT_FALSE(s.ok()) << body;
  return s.ok() ? std::string() : s.error().message;
}

TEST(LogSubmission, CosignSignatureOverTheChartDigestIsAccepted) {
  const auto s = parse_submission(cosign_request().dump(), kNow);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->entry.kind, tlog::EntryKind::hashedrekord);
  EXPECT_EQ(s->entry.event.chart, "test");
  EXPECT_EQ(s->entry.event.version, "0.1.0");
  EXPECT_EQ(s->entry.event.envelope, "sigstore-bundle");
  EXPECT_EQ(s->entry.event.time, 0);
  EXPECT_EQ(s->entry.digest, chart_digest());
  EXPECT_EQ(s->entry.key_details, "PKIX_ECDSA_P256_SHA_256");
  EXPECT_TRUE(s->entry.certificate.empty());
  EXPECT_EQ(s->dedupe.size(), 32u);
  // The dedupe key is the content's, whatever the request's layout (member order, spaces).
  const auto again = parse_submission(cosign_request().dump(2), kNow + 100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->dedupe, s->dedupe);
  const auto key = dedupe_key(s->entry);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, s->dedupe);
}

TEST(LogSubmission, AnotherKeyOrDigestDoesNotVerify) {
  json r = cosign_request();
  const auto other = crypto::parse_public_key_pem(test::read_text(test::data("cosign/generated/keys/other-p256.pub")));
  ASSERT_TRUE(other.ok());
  r["hashedRekordRequestV002"]["signature"]["verifier"]["publicKey"]["rawBytes"] = b64(*crypto::spki_der(*other));
  EXPECT_EQ(refusal(r), "submission: the signature does not verify over the digest");
  json d = cosign_request();
  Bytes digest = chart_digest();
  digest[0] ^= 1;
  d["hashedRekordRequestV002"]["digest"] = b64(digest);
  EXPECT_EQ(refusal(d), "submission: the signature does not verify over the digest");
}

TEST(LogSubmission, RsaAndP384KeysSignTheSha256Digest) {
  for (const auto& [spec, details] :
       {std::pair{"rsa-3072", "PKIX_RSA_PKCS1V15_3072_SHA256"}, std::pair{"ecdsa-p384", "PKIX_ECDSA_P384_SHA_384"}}) {
    auto key = crypto::generate_key(spec);
    ASSERT_TRUE(key.ok());
    const auto sig = crypto::sign_digest_encoded(*key, crypto::DigestAlg::kSha256, chart_digest());
    ASSERT_TRUE(sig.ok());
    const auto spki = crypto::spki_der(*key);
    const auto s = parse_submission(rekord(chart_digest(), *sig, *spki, details).dump(), kNow);
    ASSERT_TRUE(s.ok()) << spec << ": " << s.error().message;
    EXPECT_EQ(s->entry.public_key, *spki);
    // keyDetails must say what the key is.
    EXPECT_EQ(refusal(rekord(chart_digest(), *sig, *spki, "PKIX_ECDSA_P256_SHA_256")),
              "submission: the key is not what keyDetails PKIX_ECDSA_P256_SHA_256 says");
  }
}

TEST(LogSubmission, Ed25519CannotBeCheckedOverADigest) {
  auto key = crypto::generate_key("ed25519");
  ASSERT_TRUE(key.ok());
  const auto sig = crypto::sign_eddsa(*key, as_bytes(chart_bytes()));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(refusal(rekord(chart_digest(), *sig, *crypto::spki_der(*key), "PKIX_ED25519")),
            "submission: Ed25519 signs the chart, not its digest: the log cannot check it");
}

TEST(LogSubmission, ACertificateVerifiesWithItsKey) {
  const auto file = crypto::read_private_key_file(test::private_copy(test::data("private-ca/leaf.key")), nullptr);
  ASSERT_TRUE(file.ok()) << file.error().message;
  const auto sig = crypto::sign_digest_encoded(file->key, crypto::DigestAlg::kSha256, chart_digest());
  ASSERT_TRUE(sig.ok());
  const Bytes cert = pem_body(test::read_text(test::data("private-ca/leaf.pem")));
  json r = rekord(chart_digest(), *sig, Bytes{}, "PKIX_ECDSA_P256_SHA_256");
  auto& verifier = r["hashedRekordRequestV002"]["signature"]["verifier"];
  verifier.erase("publicKey");
  verifier["x509Certificate"] = {{"rawBytes", b64(cert)}};
  const auto s = parse_submission(r.dump(), kNow);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->entry.certificate, cert);
  EXPECT_TRUE(s->entry.public_key.empty());
  // Another certificate (another key): the signature does not verify.
  verifier["x509Certificate"]["rawBytes"] = b64(pem_body(test::read_text(test::data("private-ca/other-leaf.pem"))));
  EXPECT_EQ(refusal(r), "submission: the signature does not verify over the digest");
  verifier["x509Certificate"]["rawBytes"] = b64(std::string("not a certificate"));
  EXPECT_EQ(refusal(r), "submission: the certificate: not a DER X.509 certificate");
  verifier["publicKey"] = {{"rawBytes", b64(cert)}};
  EXPECT_EQ(refusal(r), "submission: the verifier needs exactly one of publicKey and x509Certificate");
}

TEST(LogSubmission, MalformedRequestsAreRefusedWithFixedMessages) {
  EXPECT_EQ(refusal(std::string(kMaxSubmission + 1, ' ')), "submission: larger than 64 KiB");
  EXPECT_EQ(refusal(std::string("{\"a\":")), "submission: not a JSON object");
  EXPECT_EQ(refusal(std::string("[1]")), "submission: not a JSON object");
  EXPECT_EQ(refusal(std::string(300, '[') + std::string(300, ']')), "submission: not a JSON object");

  json r = cosign_request();
  r["extra"] = 1;
  EXPECT_EQ(refusal(r), "submission: request has an unknown member");
  r = cosign_request();
  r["hashedRekordRequestV002"]["signature"]["verifier"]["publicKey"]["pem"] = "x";
  EXPECT_EQ(refusal(r), "submission: hashedRekordRequestV002.signature.verifier.publicKey has an unknown member");
  r = cosign_request();
  r["helmProvRequestV001"] = json::object();
  EXPECT_EQ(refusal(r), "submission: exactly one of hashedRekordRequestV002 and helmProvRequestV001");
  r.erase("helmProvRequestV001");
  r.erase("hashedRekordRequestV002");
  EXPECT_EQ(refusal(r), "submission: exactly one of hashedRekordRequestV002 and helmProvRequestV001");
  r = cosign_request();
  r.erase("chartprov");
  EXPECT_EQ(refusal(r), "submission: request.chartprov is missing or not an object");
  r = cosign_request();
  r["chartprov"]["chart"] = 7;
  EXPECT_EQ(refusal(r), "submission: chartprov.chart is missing or not a string");
  r = cosign_request();
  r["chartprov"]["envelope"] = "prov";
  EXPECT_EQ(refusal(r), "submission: a hashedrekord entry is a sigstore-bundle");
  r = cosign_request();
  r["hashedRekordRequestV002"]["digest"] = "!!";
  EXPECT_EQ(refusal(r), "submission: hashedRekordRequestV002.digest is not base64");
  r["hashedRekordRequestV002"]["digest"] = b64(Bytes(31, 1));
  EXPECT_EQ(refusal(r), "submission: the digest is not a SHA-256 (32 bytes)");
  r = cosign_request();
  r["hashedRekordRequestV002"]["signature"]["content"] = "";
  EXPECT_EQ(refusal(r), "submission: the signature is empty");
  r = cosign_request();
  r["hashedRekordRequestV002"]["signature"]["verifier"]["keyDetails"] = "PKIX_SOMETHING";
  EXPECT_EQ(refusal(r), "submission: unsupported keyDetails \"PKIX_SOMETHING\"");
  r = cosign_request();
  r["chartprov"]["chart"] = "bad/name";
  EXPECT_TRUE(refusal(r).starts_with("submission: log entry: ")) << refusal(r);
}

// rekor's helm test vector: the chart, its .prov and the armored signer key.
json helm_request() {
  const auto armored = openpgp::dearmor(test::read_text(test::data("cosign/upstream/rekor/test_helm_armor.pub")));
  EXPECT_TRUE(armored.ok());
  json request = {{"chartDigest", b64(chart_digest())},
                  {"provenance", b64(test::read_text(test::data("cosign/upstream/rekor/test-0.1.0.tgz.prov")))},
                  {"publicKey", b64(armored->data)}};
  return {{"helmProvRequestV001", request}, {"chartprov", chartprov_member("prov")}};
}

TEST(LogSubmission, HelmProvenanceSignedByTheCertificateIsAccepted) {
  const auto s = parse_submission(helm_request().dump(), unix_now());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->entry.kind, tlog::EntryKind::helm_prov);
  EXPECT_EQ(s->entry.event.envelope, "prov");
  EXPECT_EQ(s->entry.digest, chart_digest());
  EXPECT_FALSE(s->entry.provenance.empty());
  EXPECT_FALSE(s->entry.openpgp_key.empty());
}

// helm's own .prov over its demo chart, signed with an ECDSA P-256 key (tests/data/helm, case
// ok-helm-nistp256): an EC primary key, which the check reads back as curve and point.
TEST(LogSubmission, HelmProvenanceByAnEcdsaKeyIsAccepted) {
  const std::string dir = "helm/generated/cases/ok-helm-nistp256/";
  const std::string chart = test::read_text(test::data(dir + "demo-0.1.0.tgz"));
  json request = {{"chartDigest", b64(crypto::sha256(as_bytes(chart)))},
                  {"provenance", b64(test::read_text(test::data(dir + "demo-0.1.0.tgz.prov")))},
                  {"publicKey", b64(test::read_text(test::data("helm/generated/keys/nistp256.pub.gpg")))}};
  const json r = {{"helmProvRequestV001", request},
                  {"chartprov", {{"chart", "demo"}, {"version", "0.1.0"}, {"envelope", "prov"}}}};
  const auto s = parse_submission(r.dump(), unix_now());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->entry.event.chart, "demo");
}

TEST(LogSubmission, HelmProvenanceRefusals) {
  json r = helm_request();
  Bytes digest = chart_digest();
  digest[31] ^= 1;
  r["helmProvRequestV001"]["chartDigest"] = b64(digest);
  EXPECT_TRUE(refusal(r).starts_with("submission: the provenance: sha256 mismatch")) << refusal(r);
  r = helm_request();
  r["chartprov"]["version"] = "0.2.0";
  EXPECT_TRUE(refusal(r).starts_with("submission: the provenance: ")) << refusal(r);
  r = helm_request();
  r["chartprov"]["envelope"] = "sigstore-bundle";
  EXPECT_EQ(refusal(r), "submission: a helmprov entry is a prov");
  r = helm_request();  // another signer's certificate (helm's test keys)
  r["helmProvRequestV001"]["publicKey"] = b64(test::read_text(test::data("helm/generated/keys/nistp256.pub.gpg")));
  EXPECT_EQ(refusal(r), "submission: the provenance is not signed by the certificate's primary key");
  r = helm_request();
  r["helmProvRequestV001"]["publicKey"] = b64(std::string("\x99garbage"));
  EXPECT_EQ(refusal(r), "submission: the public key is not one OpenPGP certificate");
  // Two certificates where one is asked for.
  const auto armored = openpgp::dearmor(test::read_text(test::data("cosign/upstream/rekor/test_helm_armor.pub")));
  ASSERT_TRUE(armored.ok());
  Bytes twice = armored->data;
  twice.insert(twice.end(), armored->data.begin(), armored->data.end());
  r = helm_request();
  r["helmProvRequestV001"]["publicKey"] = b64(twice);
  EXPECT_EQ(refusal(r), "submission: the public key is not one OpenPGP certificate");
}

}  // namespace
}  // namespace chartprov::app::log
