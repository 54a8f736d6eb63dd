#include "envelope/sigstore/sct_signature.hpp"

#include <gtest/gtest.h>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/openssl/x509_certificate.hpp"
#include "support/keyless_vectors.hpp"

using namespace chartprov;
using namespace chartprov::sigstore;

namespace {

constexpr const char* kHappyPath = "bundles/sigstore-conformance/happy-path-v0.1/bundle.sigstore.json";

crypto::Certificate parse(const Bytes& der) { return crypto::Certificate::parse_der(der).value(); }

// The happy path's SCT, the bytes its log signed, and the key of that log
// (production's ctfe 2022, the second CT log of the trusted root).
struct Signed {
  Sct sct;
  Bytes data;
  crypto::PKey key;
};
Signed happy_path() {
  const crypto::Certificate leaf = parse(test::bundle_leaf(kHappyPath));
  const auto chains = test::root_ca_chains("roots/production/trusted_root.json");
  const crypto::Certificate intermediate = parse(chains.at(1).at(0));
  Signed s;
  s.sct = parse_sct_list(*leaf.extension(crypto::kSctListOid)).value().at(0);
  s.data = sct_signed_data(s.sct, crypto::sha256(intermediate.spki_der()), leaf.precert_tbs().value());
  const auto logs = test::root_ctlogs("roots/production/trusted_root.json");
  EXPECT_EQ(logs.at(1).log_id, s.sct.log_id);
  s.key = crypto::parse_spki_der(logs.at(1).key).value();
  return s;
}

}  // namespace

TEST(SctSignature, FulciosSctVerifiesWithItsLogsKey) {
  const Signed s = happy_path();
  EXPECT_TRUE(verify_sct(s.sct, s.data, s.key));
}

TEST(SctSignature, AnythingChangedDoesNotVerify) {
  const Signed s = happy_path();
  Bytes data = s.data;
  data[data.size() / 2] ^= 1;
  EXPECT_FALSE(verify_sct(s.sct, data, s.key));
  Sct sct = s.sct;
  sct.signature[10] ^= 1;
  EXPECT_FALSE(verify_sct(sct, s.data, s.key));
  sct = s.sct;
  sct.hash_alg = 5;  // sha384: not what CT logs sign with
  EXPECT_FALSE(verify_sct(sct, s.data, s.key));
  sct = s.sct;
  sct.sig_alg = kSctSigRsa;  // says RSA, the key is EC
  EXPECT_FALSE(verify_sct(sct, s.data, s.key));
  EXPECT_FALSE(verify_sct(s.sct, s.data, crypto::PKey()));
  // Another log's key (production's retired ctfe test log).
  const auto logs = test::root_ctlogs("roots/production/trusted_root.json");
  EXPECT_FALSE(verify_sct(s.sct, s.data, crypto::parse_spki_der(logs.at(0).key).value()));
}

TEST(SctSignature, RsaLogsSignWithPkcs1) {
  // No vector SCT is from an RSA log (staging's RSA log retired in 2022): a key made here.
  const auto key = crypto::generate_key("rsa-3072");
  ASSERT_TRUE(key.ok());
  Signed s = happy_path();
  s.sct.sig_alg = kSctSigRsa;
  s.sct.signature = crypto::sign_rsa_pkcs1(*key, crypto::DigestAlg::kSha256, crypto::sha256(s.data)).value();
  EXPECT_TRUE(verify_sct(s.sct, s.data, *key));
  s.sct.sig_alg = kSctSigEcdsa;
  EXPECT_FALSE(verify_sct(s.sct, s.data, *key));
}
