// chartprov-rnp's contract as callers see it (tools/rnp/PROTOCOL.md): one
// JSON object on stdout or one line on stderr with exit 2; inputs that are
// legal OpenPGP but unusual (several armored blocks, non-UTF-8 user IDs)
// must neither crash the helper nor corrupt the cache; the optional hash and
// type of a sign request reach the signature packet.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "app/sign/gnupg_signing.hpp"
#include "app/verify/keyring_loader.hpp"
#include "infra/process/process.hpp"
#include "openpgp/cert.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/secret_key.hpp"
#include "openpgp/signature.hpp"
#include "support/test_support.hpp"
#include "util/encoding.hpp"

using namespace chartprov;

namespace {

std::string helper() { return (std::filesystem::path(CHARTPROV_BINARY).parent_path() / "chartprov-rnp").string(); }

process::ProcessResult run_helper(const std::vector<std::string>& args, const std::string& in = "") {
  std::vector<std::string> argv = {helper()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = process::run_process(argv, as_bytes(in));
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : process::ProcessResult{};
}

void expect_one_line_error(const process::ProcessResult& r, const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << what;
  EXPECT_EQ(r.out, "") << what;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
  EXPECT_EQ(r.err.back(), '\n') << what;
}

const std::string kKeys = "helm/generated/keys/";

// The whole first packet with this tag in a binary keyring.
Bytes first_packet(const Bytes& ring, std::uint8_t tag) {
  const auto packets = openpgp::read_packets(ring);
  EXPECT_TRUE(packets.ok());
  for (const auto& p : packets.ok() ? *packets : std::vector<openpgp::Packet>{}) {
    if (p.tag == tag) return Bytes(p.whole.begin(), p.whole.end());
  }
  ADD_FAILURE() << "no packet with tag " << int(tag);
  return {};
}

Bytes read_bytes(const std::filesystem::path& p) { return to_bytes(test::read_text(p)); }

void write_bytes(const std::filesystem::path& p, const Bytes& b) {
  test::write_text(p, std::string(b.begin(), b.end()));
}

}  // namespace

TEST(HelperProtocol, UsageAndUnreadableInputsAreOneLineExit2) {
  expect_one_line_error(run_helper({}), "no command");
  expect_one_line_error(run_helper({"keyring"}), "no path");
  expect_one_line_error(run_helper({"frobnicate", "x"}), "unknown command");
  expect_one_line_error(run_helper({"keyring", "/nonexistent/ring.gpg"}), "missing file");
  test::TempDir dir;
  expect_one_line_error(run_helper({"keyring", dir.path().string()}), "directory without a keyring");
  expect_one_line_error(run_helper({"sign"}, "not json"), "malformed request");
  expect_one_line_error(run_helper({"sign"}, R"({"source":"x","key":"y"})"), "incomplete request");
  expect_one_line_error(run_helper({"sign"}, R"({"source":"x","key":"y","created":-1,"data":""})"), "bad time");
}

TEST(HelperProtocol, EmptyKeyringIsAnEmptyList) {
  const auto path = test::data(kKeys + "empty.gpg").string();
  const auto r = run_helper({"keyring", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j, (nlohmann::json{{"version", 2}, {"source", path}, {"keys", nlohmann::json::array()}}));
}

TEST(HelperProtocol, EveryFieldOfAKeyEntry) {
  const auto r = run_helper({"keyring", test::data(kKeys + "subkey-ed25519.pub.asc").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.at("keys").size(), 2u);
  for (const auto& k : j.at("keys")) {
    EXPECT_EQ(k.size(), 10u) << k.dump();
    for (const char* field : {"public_key", "primary_fingerprint", "revocation_reason"}) {
      EXPECT_TRUE(k.at(field).is_string()) << field;
    }
    for (const char* field : {"is_subkey", "can_sign", "valid", "revoked"}) EXPECT_TRUE(k.at(field).is_boolean());
    EXPECT_TRUE(k.at("expires_at").is_number_unsigned());
    EXPECT_TRUE(k.at("valid_until").is_number_unsigned());
    EXPECT_TRUE(k.at("user_ids").is_array());
    EXPECT_EQ(k.at("primary_fingerprint").get<std::string>().size(), 40u);
  }
}

TEST(HelperProtocol, SeveralArmoredBlocksInOneFile) {
  test::TempDir dir;
  test::write_text(dir / "both.asc", test::read_text(test::data(kKeys + "rsa3072.pub.asc")) +
                                         test::read_text(test::data(kKeys + "ed25519.pub.asc")));
  const auto ring = app::load_keyring(dir / "both.asc", {false});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  EXPECT_EQ(ring->keys.size(), 2u);
}

// A user ID that is not UTF-8 (old keys have Latin-1 ones), validly
// self-signed: the helper must still answer, with U+FFFD for the stray byte.
TEST(HelperProtocol, NonUtf8UserIdIsReplacedNotFatal) {
  const Bytes sec_ring = read_bytes(test::data(kKeys + "ed25519.sec.gpg"));
  const Bytes secret_packet = first_packet(sec_ring, 5);
  const auto parsed = openpgp::read_packets(secret_packet);
  ASSERT_TRUE(parsed.ok() && parsed->size() == 1u);
  const auto signer = openpgp::signer_from_secret_key_packet((*parsed)[0].body);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  const std::string uid = "Caf\xe9 Signer <latin1@test.invalid>";
  const auto cert = openpgp::build_certificate(**signer, uid, (*signer)->public_key().created + 1, std::nullopt);
  ASSERT_TRUE(cert.ok()) << cert.error().message;

  test::TempDir dir;
  write_bytes(dir / "latin1.pub.gpg", *cert);
  const auto ring = app::load_keyring(dir / "latin1.pub.gpg");
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ASSERT_EQ(ring->keys.size(), 1u);
  EXPECT_EQ(ring->keys[0].user_ids, std::vector<std::string>{"Caf\xEF\xBF\xBD Signer <latin1@test.invalid>"});
  EXPECT_TRUE(ring->keys[0].valid);

  // The same entity as a secret keyring signs, chosen by an ASCII part of
  // that user ID; a name that is not UTF-8 cannot travel in the JSON
  // request and is refused with a message, not an exception.
  Bytes sec = secret_packet;
  const auto cert_packets = openpgp::read_packets(*cert);
  ASSERT_TRUE(cert_packets.ok() && cert_packets->size() == 3u);
  for (std::size_t i = 1; i < 3; ++i)
    sec.insert(sec.end(), (*cert_packets)[i].whole.begin(), (*cert_packets)[i].whole.end());
  write_bytes(dir / "latin1.sec.gpg", sec);
  test::make_private(dir / "latin1.sec.gpg");
  app::GnupgSignRequest req;
  req.source = dir / "latin1.sec.gpg";
  req.key = "Caf";
  req.data = to_bytes("text\r\n");
  const auto s = app::sign_with_gnupg(req);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->fingerprint, hex_encode_upper((*signer)->public_key().fingerprint));
  EXPECT_EQ(s->user_ids, ring->keys[0].user_ids);
  req.key = "Caf\xe9";
  const auto latin1 = app::sign_with_gnupg(req);
  ASSERT_FALSE(latin1.ok());
  EXPECT_NE(latin1.error().message.find("UTF-8"), std::string::npos) << latin1.error().message;
  req.key = "Caf";
  req.passphrase = SecretString("p\xe4ss");
  const auto pass = app::sign_with_gnupg(req);
  ASSERT_FALSE(pass.ok());
  EXPECT_NE(pass.error().message.find("UTF-8"), std::string::npos) << pass.error().message;
}

TEST(HelperProtocol, SignRequestHashAndType) {
  test::TempDir home;
  const std::string binary("\x00\x01\xff\r\nno text\n", 13);
  struct Case {
    std::string key;
    openpgp::HashAlgo hash;
    std::uint8_t type;
  };
  for (const Case& c :
       {Case{"rsa3072", openpgp::HashAlgo::kSha256, 0x00}, Case{"nistp384", openpgp::HashAlgo::kSha384, 0x00},
        Case{"ed25519", openpgp::HashAlgo::kSha512, 0x01}, Case{"rsa2048", openpgp::HashAlgo::kSha224, 0x01}}) {
    SCOPED_TRACE(c.key);
    const auto import = process::run_process({"/usr/bin/gpg", "--homedir", home.path().string(), "--batch", "--import",
                                              test::data(kKeys + c.key + ".pub.gpg").string()},
                                             {});
    ASSERT_TRUE(import.ok() && import->exit_code == 0);
    app::GnupgSignRequest req;
    req.source = test::private_copy(test::data(kKeys + c.key + ".sec.gpg"));
    req.key = c.key + "@";
    req.hash = c.hash;
    req.type = c.type;
    req.created = static_cast<std::uint32_t>(std::time(nullptr));
    req.data = to_bytes(c.type == 0 ? binary : std::string("a\r\nb\r\n"));
    const auto s = app::sign_with_gnupg(req);
    ASSERT_TRUE(s.ok()) << s.error().message;
    const auto sigs = openpgp::parse_signatures(s->signature);
    ASSERT_TRUE(sigs.ok() && sigs->size() == 1u);
    EXPECT_EQ((*sigs)[0].hash_algo, static_cast<std::uint8_t>(c.hash));
    EXPECT_EQ((*sigs)[0].type, c.type);
    EXPECT_EQ((*sigs)[0].created, req.created);
    test::write_text(home / "data", std::string(req.data.begin(), req.data.end()));
    write_bytes(home / "data.sig", s->signature);
    const auto v = process::run_process({"/usr/bin/gpg", "--homedir", home.path().string(), "--batch", "--status-fd",
                                         "1", "--verify", (home / "data.sig").string(), (home / "data").string()},
                                        {});
    ASSERT_TRUE(v.ok());
    EXPECT_NE(v->out.find("[GNUPG:] VALIDSIG " + s->fingerprint), std::string::npos) << v->out << v->err;
  }
  // SHA-1 and unknown names are refused by the helper itself.
  const std::string data = base64_encode(to_bytes("x"));
  for (const char* hash : {"SHA1", "MD5", "sha512", ""}) {
    const nlohmann::json req = {{"source", test::data(kKeys + "nistp384.sec.gpg").string()},
                                {"key", "nistp384"},
                                {"created", 0},
                                {"hash", hash},
                                {"data", data}};
    const auto r = run_helper({"sign"}, req.dump());
    expect_one_line_error(r, hash);
    EXPECT_NE(r.err.find("unsupported hash"), std::string::npos) << r.err;
  }
  const nlohmann::json bad_type = {{"source", test::data(kKeys + "nistp384.sec.gpg").string()},
                                   {"key", "nistp384"},
                                   {"created", 0},
                                   {"type", 0x13},
                                   {"data", data}};
  expect_one_line_error(run_helper({"sign"}, bad_type.dump()), "certification type");
}

TEST(HelperProtocol, KeyNamedBySubkeyIdOrWithHexPrefix) {
  const auto ring = app::load_keyring(test::data(kKeys + "subkey-ed25519.pub.gpg"));
  ASSERT_TRUE(ring.ok());
  std::string sub_fpr, primary_fpr;
  for (const auto& k : ring->keys) (k.is_subkey ? sub_fpr : primary_fpr) = hex_encode_upper(k.key.fingerprint);
  ASSERT_FALSE(sub_fpr.empty());
  for (const std::string& name : {sub_fpr, "0x" + sub_fpr.substr(24), primary_fpr.substr(32), "0X" + primary_fpr}) {
    app::GnupgSignRequest req;
    req.source = test::private_copy(test::data(kKeys + "subkey-ed25519.sec.gpg"));
    req.key = name;
    req.data = to_bytes("x\r\n");
    const auto s = app::sign_with_gnupg(req);
    ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
    EXPECT_EQ(s->fingerprint, sub_fpr) << name;
    EXPECT_EQ(s->primary_fingerprint, primary_fpr) << name;
  }
  app::GnupgSignRequest req;
  req.source = test::private_copy(test::data(kKeys + "subkey-ed25519.sec.gpg"));
  req.key = "0x0123456789ABCDEF";
  const auto none = app::sign_with_gnupg(req);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("private key not found"), std::string::npos) << none.error().message;
}
