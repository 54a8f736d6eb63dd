#include "infra/openssl/key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>

#include "infra/openssl/pkcs8.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

using namespace chartprov;
using namespace chartprov::crypto;

namespace {

constexpr std::uint32_t kCreated = 1764000000;

PKey make_key(const char* spec) {
  auto k = generate_key(spec);
  if (!k.ok()) throw std::runtime_error(k.error().message);
  return std::move(k).value();
}

std::string text_of(const SecretBytes& b) { return std::string(b.bytes().begin(), b.bytes().end()); }

std::filesystem::path write_key(const test::TempDir& dir, const std::string& name, const std::string& text,
                                unsigned mode = 0600) {
  const auto p = dir / name;
  if (!atomic_write(p, std::string_view(text), mode).ok()) throw std::runtime_error("write failed");
  return p;
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  ::pclose(f);
  return out;
}

Result<PrivateKeyFile> parse(const std::string& text, const SecretString* pass = nullptr) {
  return parse_private_key_file(as_bytes(text), pass, "test.key");
}

// text with `insert` placed before the first `before`.
std::string inserted(const std::string& text, const std::string& before, const std::string& insert) {
  const std::size_t pos = text.find(before);
  std::string out = text.substr(0, pos);
  out.append(insert);
  out.append(text, pos, std::string::npos);
  return out;
}

const std::string kHeader = "Chartprov-Key: 1\nOpenPGP-Created: 1764000000\nUser-ID: CI <ci@example.com>\n";

}  // namespace

TEST(KeyFile, UnencryptedRoundTripKeepsKeyAndHeaders) {
  for (const char* spec : {"ed25519", "ecdsa-p256", "rsa-3072"}) {
    SCOPED_TRACE(spec);
    const PKey key = make_key(spec);
    auto bytes = write_private_key_file(key, {kCreated, "Chart Signer <ci@example.com>"}, nullptr);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    const std::string text = text_of(*bytes);
    EXPECT_EQ(text.rfind("Chartprov-Key: 1\nOpenPGP-Created: 1764000000\nUser-ID: Chart Signer <ci@example.com>\n"
                         "-----BEGIN PRIVATE KEY-----\n",
                         0),
              0u);
    auto back = parse(text);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_FALSE(back->encrypted);
    EXPECT_EQ(back->info.created, kCreated);
    EXPECT_EQ(back->info.user_id, "Chart Signer <ci@example.com>");
    EXPECT_EQ(*spki_der(back->key), *spki_der(key));
    EXPECT_TRUE(has_private_key(back->key));
  }
}

TEST(KeyFile, EncryptedWithPassphrase) {
  const PKey key = make_key("ecdsa-p256");
  const SecretString pass("correct horse");
  auto bytes = write_private_key_file(key, {kCreated, ""}, &pass);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  const std::string text = text_of(*bytes);
  EXPECT_NE(text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), std::string::npos);
  EXPECT_EQ(text.find("User-ID"), std::string::npos);  // empty user ID: no header

  test::TempDir dir;
  const auto path = write_key(dir, "signer.key", text);
  auto back = read_private_key_file(path, &pass);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(back->encrypted);
  EXPECT_EQ(*spki_der(back->key), *spki_der(key));

  const SecretString wrong("battery staple");
  auto bad = read_private_key_file(path, &wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kInput);
  EXPECT_EQ(bad.error().message, "wrong passphrase for " + path.string());

  auto none = read_private_key_file(path, nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("CHARTPROV_PASSWORD"), std::string::npos);
  EXPECT_NE(none.error().message.find("--passphrase-file"), std::string::npos);
  EXPECT_TRUE(needs_passphrase(none.error()));  // the one refusal worth asking a passphrase for
  EXPECT_FALSE(needs_passphrase(bad.error()));

  const SecretString empty("");
  EXPECT_FALSE(write_private_key_file(key, {kCreated, ""}, &empty).ok());
}

// The passphrase is asked for only when the file is encrypted, never for a file refused otherwise.
TEST(KeyFile, AsksForThePassphraseOnlyWhenTheFileIsEncrypted) {
  test::TempDir dir;
  const SecretString pass("correct horse");
  const PKey key = make_key("ed25519");
  const auto plain = write_key(dir, "plain.key", text_of(*write_private_key_file(key, {kCreated, ""}, nullptr)));
  const auto enc = write_key(dir, "enc.key", text_of(*write_private_key_file(key, {kCreated, ""}, &pass)));
  const auto loose = write_key(dir, "loose.key", text_of(*write_private_key_file(key, {kCreated, ""}, nullptr)), 0644);
  int asked = 0;
  const PassphraseAsk ask = [&]() -> Result<SecretString> {
    ++asked;
    return SecretString("correct horse");
  };
  EXPECT_TRUE(read_private_key_file_asking(plain, ask).ok());
  EXPECT_EQ(asked, 0);
  auto opened = read_private_key_file_asking(enc, ask);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(*spki_der(opened->key), *spki_der(key));
  auto refused = read_private_key_file_asking(loose, ask);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos) << refused.error().message;
  EXPECT_EQ(asked, 1) << "a passphrase cannot cure a loose mode: nobody is asked";
  auto unasked = read_private_key_file_asking(enc, nullptr);
  ASSERT_FALSE(unasked.ok());
  EXPECT_TRUE(needs_passphrase(unasked.error()));
  auto wrong = read_private_key_file_asking(enc, [] { return Result<SecretString>(SecretString("battery")); });
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "wrong passphrase for " + enc.string());
}

// OpenSSL's own tool reads our files (text before the PEM block is allowed),
// and finds the same public key.
TEST(KeyFile, OpensslPkeyReadsBothForms) {
  test::TempDir dir;
  const PKey key = make_key("ed25519");
  const SecretString pass("s3cret pass");
  auto plain = write_private_key_file(key, {kCreated, "A <a@b>"}, nullptr);
  auto enc = write_private_key_file(key, {kCreated, "A <a@b>"}, &pass);
  ASSERT_TRUE(plain.ok() && enc.ok());
  const auto p1 = write_key(dir, "plain.key", text_of(*plain));
  const auto p2 = write_key(dir, "enc.key", text_of(*enc));
  std::string expected = "-----BEGIN PUBLIC KEY-----\n";
  const std::string pub1 = run("openssl pkey -in " + p1.string() + " -pubout 2>&1");
  const std::string pub2 = run("openssl pkey -in " + p2.string() + " -passin 'pass:s3cret pass' -pubout 2>&1");
  EXPECT_EQ(pub1.rfind(expected, 0), 0u) << pub1;
  EXPECT_EQ(pub1, pub2);
  const std::string wrong = run("openssl pkey -in " + p2.string() + " -passin pass:nope -pubout 2>&1");
  EXPECT_EQ(wrong.find("BEGIN PUBLIC KEY"), std::string::npos);
  // The scrypt parameters we promise are in the file.
  const std::string asn1 = run("sed -n '/BEGIN/,/END/p' " + p2.string() + " | openssl asn1parse 2>&1");
  EXPECT_NE(asn1.find(":scrypt"), std::string::npos) << asn1;
  EXPECT_NE(asn1.find(":aes-256-cbc"), std::string::npos) << asn1;
  // N = 2^14, r = 8, p = 2, in that order
  const std::size_t n = asn1.find("INTEGER           :4000");
  ASSERT_NE(n, std::string::npos) << asn1;
  const std::size_t r = asn1.find("INTEGER           :08", n);
  ASSERT_NE(r, std::string::npos) << asn1;
  EXPECT_NE(asn1.find("INTEGER           :02", r), std::string::npos) << asn1;
}

// Keys converted by the openssl tool (PBKDF2, its default) still read, but
// costs beyond our bounds are refused without running the KDF.
TEST(KeyFile, ForeignEncryptionAndKdfBounds) {
  test::TempDir dir;
  const PKey key = make_key("ecdsa-p256");
  auto plain = write_private_key_file(key, {kCreated, ""}, nullptr);
  const auto p = write_key(dir, "plain.key", text_of(*plain));
  const std::string pbkdf2 = run("openssl pkcs8 -topk8 -in " + p.string() + " -passout pass:pw 2>/dev/null");
  const std::string huge =
      run("openssl pkcs8 -topk8 -iter 5000000 -in " + p.string() + " -passout pass:pw 2>/dev/null");
  ASSERT_NE(pbkdf2.find("BEGIN ENCRYPTED"), std::string::npos);
  ASSERT_NE(huge.find("BEGIN ENCRYPTED"), std::string::npos);
  const SecretString pw("pw");
  auto ok = parse(kHeader + pbkdf2, &pw);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*spki_der(ok->key), *spki_der(key));
  auto refused = parse(kHeader + huge, &pw);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("out of bounds"), std::string::npos) << refused.error().message;
  // Legacy PKCS#5 v1 encryption is refused.
  const std::string legacy =
      run("openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -in " + p.string() + " -passout pass:pw 2>/dev/null");
  ASSERT_NE(legacy.find("BEGIN ENCRYPTED"), std::string::npos);
  EXPECT_FALSE(parse(kHeader + legacy, &pw).ok());
}

TEST(KeyFile, RefusesLoosePermissions) {
  test::TempDir dir;
  auto bytes = write_private_key_file(make_key("ed25519"), {kCreated, ""}, nullptr);
  const auto path = write_key(dir, "loose.key", text_of(*bytes), 0640);
  auto r = read_private_key_file(path, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("chmod 600"), std::string::npos);
  EXPECT_FALSE(needs_passphrase(r.error())) << "a passphrase would not help: the mode is the error to report";
  ::chmod(path.c_str(), 0600);
  EXPECT_TRUE(read_private_key_file(path, nullptr).ok());
  EXPECT_FALSE(read_private_key_file(dir / "missing.key", nullptr).ok());
}

TEST(KeyFile, GarbledTruncatedAndBadHeaders) {
  auto bytes = write_private_key_file(make_key("ed25519"), {kCreated, "X <x@y>"}, nullptr);
  const std::string good = text_of(*bytes);
  ASSERT_TRUE(parse(good).ok());
  auto expect_error = [&](const std::string& text, const std::string& needle) {
    auto r = parse(text);
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_EQ(r.error().kind, ErrorKind::kInput);
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("test.key"), std::string::npos) << r.error().message;
  };
  const std::size_t body = good.find("-----BEGIN PRIVATE KEY-----\n") + 28;
  std::string garbled = good;
  garbled[body + 3] = '*';
  expect_error(garbled, "garbled");
  std::string flipped = good;
  flipped[body + 2] = flipped[body + 2] == 'A' ? 'B' : 'A';  // valid base64, broken DER
  expect_error(flipped, "garbled");
  expect_error(good.substr(0, good.size() - 20), "truncated");
  expect_error(good.substr(0, body), "truncated");
  expect_error(good.substr(0, good.find("-----BEGIN")), "no BEGIN line");
  expect_error(good + "trailing text\n", "after the key");
  expect_error("-----BEGIN PRIVATE KEY-----\n", "not a chartprov key file");
  expect_error("", "not a chartprov key file");
  expect_error("Chartprov-Key: 2\n" + good.substr(good.find("OpenPGP")), "version");
  expect_error("Chartprov-Key: 1\n" + good.substr(good.find("User-ID")), "missing OpenPGP-Created");
  std::string bad_time = good;
  bad_time.replace(bad_time.find("1764000000"), 10, "17640000x0");
  expect_error(bad_time, "not a unix time");
  std::string too_big = good;
  too_big.replace(too_big.find("1764000000"), 10, "4294967296");
  expect_error(too_big, "not a unix time");
  expect_error(inserted(good, "User-ID", "OpenPGP-Created: 1\n"), "duplicate");
  expect_error(inserted(good, "User-ID", "Comment: hi\n"), "unknown header");
  expect_error(inserted(good, "X <x@y>", "\t"), "invalid User-ID");
  expect_error(inserted(good, "X <x@y>", "\xc0\xaf"), "invalid User-ID");
  std::string other_pem = good;
  other_pem.replace(other_pem.find("BEGIN PRIVATE KEY"), 17, "BEGIN EC PRIVATE KEY");
  expect_error(other_pem, "unsupported PEM block");
}

TEST(KeyFile, UserIdValidationOnWrite) {
  const PKey key = make_key("ed25519");
  EXPECT_FALSE(write_private_key_file(key, {kCreated, "two\nlines"}, nullptr).ok());
  EXPECT_FALSE(write_private_key_file(key, {kCreated, std::string(2000, 'a')}, nullptr).ok());
  EXPECT_TRUE(write_private_key_file(key, {kCreated, "Zoë Müller <z@example.com>"}, nullptr).ok());
  auto pub = raw_public_bytes(key);
  auto pub_only = raw_public_key("ED25519", *pub);
  EXPECT_FALSE(write_private_key_file(*pub_only, {kCreated, ""}, nullptr).ok());
}
