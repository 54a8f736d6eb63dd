#include "openpgp/cert.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "infra/openssl/pkey.hpp"
#include "openpgp/openssl_signer.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/signature.hpp"
#include "openpgp/signer.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;
using namespace chartprov::openpgp;

namespace {

constexpr std::uint32_t kKeyCreated = 1764000000;
const std::string kUid = "Chart Signer <ci@example.com>";

std::unique_ptr<OpenSslSigner> make_signer(const char* spec) {
  auto key = crypto::generate_key(spec);
  if (!key.ok()) throw std::runtime_error(key.error().message);
  auto signer = OpenSslSigner::create(std::move(key).value(), kKeyCreated);
  if (!signer.ok()) throw std::runtime_error(signer.error().message);
  return std::move(signer).value();
}

// Runs a shell command; returns exit status and stdout (stderr to stdout).
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (f == nullptr) return {-1, out};
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const int status = ::pclose(f);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

void write_bytes(const std::filesystem::path& p, const Bytes& b) {
  test::write_text(p, std::string(b.begin(), b.end()));
}

// The colon-separated field `index` (1-based, as in gpg's DETAILS) of the
// first line starting with `record:`.
std::string colon_field(const std::string& listing, const std::string& record, int index) {
  const std::size_t at = listing.find("\n" + record + ":");
  if (at == std::string::npos && listing.rfind(record + ":", 0) != 0) return "<no " + record + " line>";
  std::size_t pos = at == std::string::npos ? 0 : at + 1;
  for (int i = 1; i < index; ++i) pos = listing.find(':', pos) + 1;
  return listing.substr(pos, listing.find(':', pos) - pos);
}

}  // namespace

TEST(Certificate, StructureAndSelfSignatureVerify) {
  const auto signer = make_signer("ecdsa-p256");
  auto cert = build_certificate(*signer, kUid, kKeyCreated + 5, 86400u * 365);
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  auto packets = read_packets(*cert);
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 3u);
  EXPECT_EQ((*packets)[0].tag, 6);
  EXPECT_EQ((*packets)[1].tag, 13);
  EXPECT_EQ((*packets)[2].tag, 2);
  auto key = parse_public_key((*packets)[0].body);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->fingerprint, signer->public_key().fingerprint);
  EXPECT_EQ(as_chars((*packets)[1].body), kUid);
  auto sigs = parse_signatures((*packets)[2].whole);
  ASSERT_TRUE(sigs.ok()) << sigs.error().message;
  const Signature& sig = sigs->front();
  EXPECT_EQ(sig.type, 0x13);
  EXPECT_EQ(sig.hash_algo, static_cast<std::uint8_t>(HashAlgo::kSha512));
  EXPECT_EQ(sig.key_flags, 0x03);
  EXPECT_EQ(sig.key_expires_after, 86400u * 365);
  EXPECT_EQ(sig.created, kKeyCreated + 5);
  EXPECT_EQ(sig.issuer_key_id, key->key_id);
  EXPECT_FALSE(sig.has_unknown_critical);
  EXPECT_TRUE(verify_signature(sig, *key, certification_data(*key, kUid)).valid);
  EXPECT_FALSE(verify_signature(sig, *key, certification_data(*key, kUid + "x")).valid);

  auto no_expiry = build_certificate(*signer, kUid, kKeyCreated, std::nullopt);
  ASSERT_TRUE(no_expiry.ok());
  auto p2 = read_packets(*no_expiry);
  EXPECT_FALSE(parse_signatures((*p2)[2].whole)->front().key_expires_after.has_value());
}

TEST(Certificate, RefusesBadInput) {
  const auto signer = make_signer("ed25519");
  EXPECT_FALSE(build_certificate(*signer, "", kKeyCreated, std::nullopt).ok());
  EXPECT_FALSE(build_certificate(*signer, "a\nb", kKeyCreated, std::nullopt).ok());
  EXPECT_FALSE(build_certificate(*signer, kUid, kKeyCreated - 1, std::nullopt).ok());
  EXPECT_FALSE(build_certificate(*signer, kUid, kKeyCreated, 0u).ok());
}

// GnuPG imports the certificate, sees a key that can sign, and accepts a
// signature made by the same signer; sq and RNP read it too.
TEST(Certificate, PeersImportAndUseIt) {
  for (const char* spec : {"rsa-3072", "ecdsa-p256", "ecdsa-p384", "ed25519"}) {
    SCOPED_TRACE(spec);
    const auto signer = make_signer(spec);
    const std::string fpr = hex_encode_upper(signer->public_key().fingerprint);
    auto cert = build_certificate(*signer, kUid, kKeyCreated, 86400u * 730);
    ASSERT_TRUE(cert.ok()) << cert.error().message;
    test::TempDir home;
    ::chmod(home.path().c_str(), 0700);
    const auto cert_path = home / "cert.gpg";
    write_bytes(cert_path, *cert);
    const std::string gpg = "gpg --batch --no-tty --homedir " + home.path().string();

    auto [import_rc, import_out] = run(gpg + " --import " + cert_path.string());
    ASSERT_EQ(import_rc, 0) << import_out;
    auto [list_rc, listing] = run(gpg + " --list-keys --with-colons " + fpr);
    ASSERT_EQ(list_rc, 0) << listing;
    EXPECT_EQ(colon_field(listing, "fpr", 10), fpr) << listing;
    EXPECT_NE(colon_field(listing, "pub", 12).find('s'), std::string::npos) << listing;  // usable for signing
    const std::string validity = colon_field(listing, "pub", 2);
    EXPECT_TRUE(validity != "i" && validity != "r" && validity != "e") << listing;
    EXPECT_EQ(colon_field(listing, "pub", 7), std::to_string(kKeyCreated + 86400u * 730)) << listing;
    EXPECT_NE(listing.find("uid:"), std::string::npos);

    // A detached signature by the same signer verifies with the certificate.
    const std::string data = "signed by a chartprov key\n";
    test::write_text(home / "data.txt", data);
    SignOptions opts;
    opts.type = 0x00;
    auto sig = make_signature_packet(*signer, opts, as_bytes(data));
    ASSERT_TRUE(sig.ok()) << sig.error().message;
    write_bytes(home / "data.sig", *sig);
    auto [v_rc, v_out] = run("gpgv --homedir " + home.path().string() + " --keyring " + cert_path.string() + " " +
                             (home / "data.sig").string() + " " + (home / "data.txt").string());
    EXPECT_EQ(v_rc, 0) << v_out;

    // Sequoia (its Nettle backend has no brainpool, but these are all standard).
    auto [sq_rc, sq_out] = run("sq inspect " + cert_path.string());
    EXPECT_EQ(sq_rc, 0) << sq_out;
    EXPECT_NE(sq_out.find(fpr), std::string::npos) << sq_out;
    EXPECT_NE(sq_out.find("signing"), std::string::npos) << sq_out;
    EXPECT_EQ(sq_out.find("Invalid"), std::string::npos) << sq_out;

    // RNP imports it and lists the key.
    std::filesystem::create_directory(home / "rnp");
    auto [rnp_rc, rnp_out] = run("rnpkeys --homedir " + (home / "rnp").string() + " --import " + cert_path.string() +
                                 " && rnpkeys --homedir " + (home / "rnp").string() + " --list-keys --with-sigs");
    EXPECT_EQ(rnp_rc, 0) << rnp_out;
    std::string lower_fpr = hex_encode(signer->public_key().fingerprint);
    EXPECT_NE(rnp_out.find(lower_fpr.substr(24)), std::string::npos) << rnp_out;
    EXPECT_EQ(rnp_out.find("invalid"), std::string::npos) << rnp_out;
    EXPECT_NE(rnp_out.find("[SC]"), std::string::npos) << rnp_out;
  }
}
