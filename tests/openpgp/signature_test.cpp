#include "openpgp/signature.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "openpgp/cleartext_test_util.hpp"
#include "openpgp/openpgp_test_util.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/subpackets.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

struct CaseRow {
  std::string name, prov, keyring;
};

std::vector<CaseRow> case_rows() {
  std::ifstream in(test::data("helm/cases.tsv"));
  std::vector<CaseRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 4 && cols[2] != "-") rows.push_back({cols[0], cols[2], cols[3]});
  }
  return rows;
}

// Every key (primary, subkeys; public or secret packets) in a keyring file.
std::vector<PublicKey> keyring_keys(const std::string& relative) {
  const Bytes ring = test::read_bytes(test::data("helm/" + relative));
  std::vector<PublicKey> keys;
  auto packets = read_packets(ring);
  if (!packets.ok()) throw std::runtime_error(packets.error().message);
  for (const auto& p : *packets) {
    if (p.tag == 6 || p.tag == 14 || p.tag == 5 || p.tag == 7) {
      auto key = parse_public_key(p.body, p.tag == 5 || p.tag == 7);
      if (key.ok()) keys.push_back(std::move(key).value());
    }
  }
  return keys;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

enum class Expect { kValid, kInvalid, kUnsupportedHash };

std::optional<Expect> expectation(const std::string& name) {
  if (name == "gpg-digest-md5" || name == "gpg-digest-ripemd160") return Expect::kUnsupportedHash;
  if (starts_with(name, "ok-") || starts_with(name, "weak-") || starts_with(name, "gpg-digest-") ||
      name == "upstream-signtest" || name == "upstream-signtest-mixed-keyring" || name == "upstream-hashtest" ||
      name == "upstream-msgblock-asc" || name == "plugin-prov-via-helm-verify") {
    return Expect::kValid;
  }
  if (name == "neg-tampered-body" || name == "neg-tampered-signature-value" ||
      name == "neg-tampered-signature-issuer" || name == "upstream-msgblock-tampered") {
    return Expect::kInvalid;
  }
  return std::nullopt;
}

bool issued_by(const Signature& sig, const PublicKey& key) {
  if (!sig.issuer_fingerprint.empty()) return sig.issuer_fingerprint == key.fingerprint;
  return sig.issuer_key_id && *sig.issuer_key_id == key.key_id;
}

}  // namespace

TEST(VerifySignature, EveryProvVectorGivesTheExpectedResult) {
  std::set<std::string> verified_dirs;
  std::set<std::string> labels;
  int checked = 0;
  for (const CaseRow& row : case_rows()) {
    const auto expect = expectation(row.name);
    if (!expect) continue;
    SCOPED_TRACE(row.name);
    const test::Cleartext ct = test::split_cleartext(test::read_text(test::data("helm/" + row.prov)));
    auto sigs = parse_signatures(ct.packets);
    ASSERT_TRUE(sigs.ok()) << sigs.error().message;
    const auto keys = keyring_keys(row.keyring);
    int pairs = 0;
    for (const Signature& sig : *sigs) {
      for (const PublicKey& key : keys) {
        // A tampered issuer no longer names the key: try the key anyway.
        if (!issued_by(sig, key) && !(sig.issuer_key_id && *sig.issuer_key_id == key.key_id)) continue;
        ++pairs;
        const SignatureCheck check = verify_signature(sig, key, as_bytes(ct.signed_text));
        // The same verdict with the OpenSSL key built beforehand (verify-repo builds it once per keyring).
        if (auto prebuilt = to_openssl_public_key(key); prebuilt.ok()) {
          const SignatureCheck again = verify_signature(sig, key, as_bytes(ct.signed_text), &*prebuilt);
          EXPECT_EQ(again.valid, check.valid);
          EXPECT_EQ(again.reason, check.reason);
        }
        switch (*expect) {
          case Expect::kValid:
            EXPECT_TRUE(check.valid) << check.reason;
            if (check.valid) {
              verified_dirs.insert(row.prov.substr(0, row.prov.rfind('/')));
              labels.insert(algorithm_label(key));
            }
            break;
          case Expect::kInvalid: EXPECT_FALSE(check.valid); break;
          case Expect::kUnsupportedHash:
            EXPECT_FALSE(check.valid);
            EXPECT_NE(check.reason.find("unsupported hash algorithm"), std::string::npos) << check.reason;
            break;
        }
      }
    }
    EXPECT_GT(pairs, 0) << "no signature matched a key in " << row.keyring;
    ++checked;
  }
  EXPECT_GE(checked, 50);
  // Every ok-* directory was verified by at least one row.
  for (const auto& dir : std::filesystem::directory_iterator(test::data("helm/generated/cases"))) {
    const std::string name = dir.path().filename().string();
    if (starts_with(name, "ok-")) {
      EXPECT_TRUE(verified_dirs.count("generated/cases/" + name)) << name;
    }
  }
  // Every algorithm in the vectors verified at least once.
  for (const char* label :
       {"RSA-1024", "RSA-2048", "RSA-3072", "RSA-4096", "DSA-2048", "EdDSA-Ed25519", "ECDSA-P256", "ECDSA-P384",
        "ECDSA-P521", "ECDSA-brainpoolP256r1", "ECDSA-brainpoolP384r1", "ECDSA-brainpoolP512r1", "ECDSA-secp256k1"}) {
    EXPECT_TRUE(labels.count(label)) << label;
  }
}

class HelmRsaSignature : public ::testing::Test {
 protected:
  void SetUp() override {
    ct_ =
        test::split_cleartext(test::read_text(test::data("helm/generated/cases/ok-helm-rsa3072/demo-0.1.0.tgz.prov")));
    auto sigs = parse_signatures(ct_.packets);
    ASSERT_TRUE(sigs.ok()) << sigs.error().message;
    ASSERT_EQ(sigs->size(), 1u);
    sig_ = sigs->front();
    key_ = test::load_public_key("rsa3072");
  }
  bool verifies(const Signature& s) { return verify_signature(s, key_, as_bytes(ct_.signed_text)).valid; }

  test::Cleartext ct_;
  Signature sig_;
  PublicKey key_;
};

TEST_F(HelmRsaSignature, DecodesHelmsSubpackets) {
  EXPECT_EQ(sig_.version, 4);
  EXPECT_EQ(sig_.type, 0x01);
  EXPECT_EQ(sig_.pubkey_algo, 1);
  EXPECT_EQ(sig_.hash_algo, static_cast<std::uint8_t>(HashAlgo::kSha512));
  ASSERT_TRUE(sig_.created.has_value());
  EXPECT_GT(*sig_.created, 1790000000u);
  EXPECT_EQ(sig_.issuer_key_id, key_.key_id);
  EXPECT_EQ(sig_.issuer_fingerprint, key_.fingerprint);
  EXPECT_FALSE(sig_.has_unknown_critical);  // creation time is critical, and understood
  ASSERT_EQ(sig_.notations.size(), 1u);
  EXPECT_EQ(sig_.notations[0].name, "salt@notations.openpgpjs.org");
  EXPECT_EQ(sig_.notations[0].value.size(), 32u);
  EXPECT_EQ(sig_.packet[0], 0xc2);
  EXPECT_TRUE(verifies(sig_));
}

TEST_F(HelmRsaSignature, AnyChangeInvalidates) {
  Bytes data = to_bytes(ct_.signed_text);
  data.back() ^= 1;
  EXPECT_FALSE(verify_signature(sig_, key_, data).valid);

  Signature s = sig_;
  s.signature_data[s.signature_data.size() / 2] ^= 0x10;
  auto check = verify_signature(s, key_, as_bytes(ct_.signed_text));
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.reason, "RSA verification failure");

  s = sig_;
  s.hash_prefix[0] ^= 1;
  EXPECT_FALSE(verifies(s));

  s = sig_;
  s.type = 0x00;  // binary instead of text: the trailer differs
  EXPECT_FALSE(verifies(s));

  // The right signature checked against another key.
  const PublicKey other = test::load_public_key("rsa2048");
  check = verify_signature(sig_, other, as_bytes(ct_.signed_text));
  EXPECT_FALSE(check.valid);
  EXPECT_NE(check.reason.find("does not match the key"), std::string::npos);
  const PublicKey ec = test::load_public_key("nistp256");
  check = verify_signature(sig_, ec, as_bytes(ct_.signed_text));
  EXPECT_FALSE(check.valid);
  EXPECT_NE(check.reason.find("algorithm"), std::string::npos);
}

TEST_F(HelmRsaSignature, UnknownCriticalSubpacketIsRefused) {
  // Re-parse the packet with a critical notation prepended to the unhashed
  // area (the unhashed area is not covered by the signature).
  Signature s = sig_;
  Bytes crit;
  const Bytes body = {0, 0, 0, 0, 0, 1, 0, 1, 'x', 'y'};
  append_subpacket(crit, subpacket::kNotation, body, true);
  s.unhashed_area = crit;
  s.has_unknown_critical = false;
  ASSERT_TRUE(decode_subpackets(s.unhashed_area, false, s).ok());
  EXPECT_TRUE(s.has_unknown_critical);
  auto check = verify_signature(s, key_, as_bytes(ct_.signed_text));
  EXPECT_FALSE(check.valid);
  EXPECT_NE(check.reason.find("critical"), std::string::npos);

  // A critical unknown type is refused as well; a non-critical one is ignored.
  Signature t = sig_;
  Bytes unknown;
  append_subpacket(unknown, 99, Bytes{1}, false);
  ASSERT_TRUE(decode_subpackets(unknown, false, t).ok());
  EXPECT_FALSE(t.has_unknown_critical);
  unknown.clear();
  append_subpacket(unknown, 99, Bytes{1}, true);
  ASSERT_TRUE(decode_subpackets(unknown, false, t).ok());
  EXPECT_TRUE(t.has_unknown_critical);
}

TEST(ParseSignatures, RefusesOtherPacketsTruncationAndGarbage) {
  const test::Cleartext ct =
      test::split_cleartext(test::read_text(test::data("helm/generated/cases/ok-gpg-two-signers/demo-0.1.0.tgz.prov")));
  auto two = parse_signatures(ct.packets);
  ASSERT_TRUE(two.ok()) << two.error().message;
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].packet[0], 0x89);  // gpg writes old-format headers
  EXPECT_FALSE((*two)[1].issuer_fingerprint.empty());
  // unhashed issuer key ID is taken too
  EXPECT_TRUE((*two)[1].issuer_key_id.has_value());

  for (std::size_t n = 0; n < ct.packets.size(); ++n) {
    if (n == (*two)[0].packet.size()) continue;  // exactly the first packet: a valid list of one
    EXPECT_FALSE(parse_signatures(ByteView(ct.packets).first(n)).ok()) << n;
  }
  Bytes garbage = ct.packets;
  garbage.push_back(0x00);
  EXPECT_FALSE(parse_signatures(garbage).ok());

  // A public key packet where a signature is expected.
  const Bytes key = test::key_file("ed25519.pub.gpg");
  auto not_sig = parse_signatures(key);
  ASSERT_FALSE(not_sig.ok());
  EXPECT_NE(not_sig.error().message.find("tag 6"), std::string::npos);

  // Version 5 signature; extra bytes after the MPIs.
  Bytes v5 = ct.packets;
  const std::size_t second = (*two)[0].packet.size();
  v5[second + 2] = 5;
  EXPECT_FALSE(parse_signatures(v5).ok());
}

TEST(ParseSignatures, MalformedSubpacketsAreErrors) {
  Signature s;
  Bytes area;
  append_subpacket(area, subpacket::kCreationTime, Bytes{1, 2, 3});  // 3 octets
  EXPECT_FALSE(decode_subpackets(area, true, s).ok());
  area.clear();
  append_subpacket(area, subpacket::kCreationTime, Bytes{1, 2, 3, 4});
  append_subpacket(area, subpacket::kCreationTime, Bytes{1, 2, 3, 4});
  EXPECT_FALSE(decode_subpackets(area, true, s).ok());  // duplicate
  Signature t;
  EXPECT_FALSE(decode_subpackets(Bytes{5, 2, 0, 0}, true, t).ok());  // runs past the area
  EXPECT_FALSE(decode_subpackets(Bytes{0}, true, t).ok());           // length 0
  area.clear();
  append_subpacket(area, subpacket::kIssuerFingerprint, Bytes(21, 4));
  Signature u;
  EXPECT_TRUE(decode_subpackets(area, false, u).ok());
  area.clear();
  append_subpacket(area, subpacket::kIssuerFingerprint, Bytes(20, 4));  // v4 needs 20 + 1
  EXPECT_FALSE(decode_subpackets(area, false, u).ok());
  // Creation time from the unhashed area is ignored.
  Signature v;
  area.clear();
  append_subpacket(area, subpacket::kCreationTime, Bytes{1, 2, 3, 4});
  ASSERT_TRUE(decode_subpackets(area, false, v).ok());
  EXPECT_FALSE(v.created.has_value());
  // Long subpackets use the two- and five-octet lengths.
  area.clear();
  append_subpacket(area, 100, Bytes(300, 1));
  append_subpacket(area, 101, Bytes(20000, 2));
  auto list = read_subpackets(area);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].body.size(), 300u);
  EXPECT_EQ((*list)[1].type, 101);
  EXPECT_EQ((*list)[1].body.size(), 20000u);
}

TEST(HashHeaderName, Names) {
  EXPECT_EQ(hash_header_name(10), "SHA512");
  EXPECT_EQ(hash_header_name(8), "SHA256");
  EXPECT_EQ(hash_header_name(12), "SHA3-256");
  EXPECT_EQ(hash_header_name(2), "SHA1");
  EXPECT_EQ(hash_header_name(99), "");
}
