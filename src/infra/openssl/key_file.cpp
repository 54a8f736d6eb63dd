#include "infra/openssl/key_file.hpp"

#include <charconv>
#include <string_view>
#include <vector>

#include "infra/openssl/pkcs8.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::crypto {
namespace {

// The one refusal that asks for a passphrase (needs_passphrase).
constexpr std::string_view kEncryptedNeedsPassphrase =
    " is encrypted: supply its passphrase with CHARTPROV_PASSWORD or --passphrase-file";

constexpr std::string_view kMagic = "Chartprov-Key";
constexpr std::string_view kCreated = "OpenPGP-Created";
constexpr std::string_view kUserId = "User-ID";
constexpr std::string_view kPlainLabel = "PRIVATE KEY";
constexpr std::string_view kEncryptedLabel = "ENCRYPTED PRIVATE KEY";
constexpr std::size_t kMaxUserId = 1024;

// Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
// without control characters, so the header stays one line.
bool valid_user_id(std::string_view s) {
  if (s.size() > kMaxUserId) return false;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;  // allowed range of the second octet
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

void append(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

// PEM body: base64 in 64-column lines. The base64 text of an unencrypted key
// is as secret as the key, so the intermediate string is wiped.
void append_pem(Bytes& out, std::string_view label, ByteView der) {
  std::string b64 = base64_encode(der);
  append(out, "-----BEGIN ");
  append(out, label);
  append(out, "-----\n");
  for (std::size_t i = 0; i < b64.size(); i += 64) {
    append(out, std::string_view(b64).substr(i, 64));
    out.push_back('\n');
  }
  append(out, "-----END ");
  append(out, label);
  append(out, "-----\n");
  secure_wipe(b64.data(), b64.size());
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

bool parse_u32(std::string_view s, std::uint32_t& out) {
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// A secret std::string that wipes itself.
struct WipedString {
  std::string s;
  ~WipedString() { secure_wipe(s.data(), s.size()); }
};

}  // namespace

Result<SecretBytes> write_private_key_file(const PKey& key, const KeyFileInfo& info, const SecretString* passphrase) {
  if (!valid_user_id(info.user_id))
    return usage_error("user ID must be one line of printable UTF-8 (at most 1024 bytes)");
  if (passphrase != nullptr && passphrase->empty()) {
    return usage_error("empty passphrase (write the key without one instead)");
  }
  if (!has_private_key(key)) return internal_error("not a private key");
  Bytes out;
  append(out, std::string(kMagic) + ": 1\n");
  append(out, std::string(kCreated) + ": " + std::to_string(info.created) + "\n");
  if (!info.user_id.empty()) append(out, std::string(kUserId) + ": " + info.user_id + "\n");
  if (passphrase != nullptr) {
    TRY(Bytes der, encrypted_private_key_info_der(key, *passphrase));
    append_pem(out, kEncryptedLabel, der);
    return SecretBytes(std::move(out));
  }
  TRY(SecretBytes der, private_key_info_der(key));
  // Reserve the final size first so no reallocation leaves a copy behind.
  out.reserve(out.size() + der.bytes().size() * 4 / 3 + der.bytes().size() / 48 + 128);
  append_pem(out, kPlainLabel, der.bytes());
  return SecretBytes(std::move(out));
}

Result<PrivateKeyFile> parse_private_key_file(ByteView data, const SecretString* passphrase,
                                              const std::string& source) {
  auto fail = [&](const std::string& what) { return input_error(what + " in key file " + source); };
  if (data.size() > kMaxKeyFileSize) return fail("too much data");
  const std::vector<std::string_view> lines = split_lines(as_chars(data));

  PrivateKeyFile out;
  bool have_magic = false;
  bool have_created = false;
  bool have_user_id = false;
  std::size_t i = 0;
  for (; i < lines.size() && lines[i].rfind("-----BEGIN ", 0) != 0; ++i) {
    const std::string_view line = lines[i];
    const std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos) return fail("malformed header line " + std::to_string(i + 1));
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 2);
    if (i == 0 && name != kMagic) return input_error(source + " is not a chartprov key file (no Chartprov-Key header)");
    if (name == kMagic) {
      if (have_magic) return fail("duplicate Chartprov-Key header");
      if (value != "1") return fail("unsupported key file version \"" + std::string(value) + "\"");
      have_magic = true;
    } else if (name == kCreated) {
      if (have_created) return fail("duplicate OpenPGP-Created header");
      if (!parse_u32(value, out.info.created)) return fail("OpenPGP-Created is not a unix time");
      have_created = true;
    } else if (name == kUserId) {
      if (have_user_id) return fail("duplicate User-ID header");
      if (!valid_user_id(value)) return fail("invalid User-ID");
      out.info.user_id = std::string(value);
      have_user_id = true;
    } else {
      return fail("unknown header \"" + std::string(name.substr(0, 64)) + "\"");
    }
  }
  if (!have_magic) return input_error(source + " is not a chartprov key file (no Chartprov-Key header)");
  if (!have_created) return fail("missing OpenPGP-Created header");
  if (i == lines.size()) return fail("no private key (no BEGIN line)");

  const std::string_view begin = lines[i];
  std::string_view label;
  if (begin == "-----BEGIN ENCRYPTED PRIVATE KEY-----") {
    label = kEncryptedLabel;
    out.encrypted = true;
  } else if (begin == "-----BEGIN PRIVATE KEY-----") {
    label = kPlainLabel;
  } else {
    return fail("unsupported PEM block \"" + std::string(begin.substr(0, 64)) + "\" (expected a PKCS#8 key)");
  }
  const std::string end = "-----END " + std::string(label) + "-----";
  WipedString b64;
  b64.s.reserve(data.size());
  for (++i; i < lines.size() && lines[i] != end; ++i) b64.s.append(lines[i]);
  if (i == lines.size()) return fail("truncated private key (no END line)");
  for (++i; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t") != std::string_view::npos) return fail("unexpected text after the key");
  }
  auto decoded = base64_decode(b64.s);
  if (!decoded.ok()) return fail("garbled private key (" + decoded.error().message + ")");
  const SecretBytes der(std::move(decoded).value());
  if (der.bytes().empty()) return fail("empty private key");

  if (out.encrypted) {
    if (passphrase == nullptr) {
      return input_error("key file " + source + std::string(kEncryptedNeedsPassphrase));
    }
    auto key = parse_encrypted_private_key_info_der(der.bytes(), *passphrase);
    if (!key.ok()) {
      if (key.error().message == "wrong passphrase") return input_error("wrong passphrase for " + source);
      return fail("garbled private key (" + key.error().message + ")");
    }
    out.key = std::move(key).value();
  } else {
    auto key = parse_private_key_info_der(der.bytes());
    if (!key.ok()) return fail("garbled private key (" + key.error().message + ")");
    out.key = std::move(key).value();
  }
  const KeyType type = key_type(out.key);
  if (type != KeyType::kRsa && type != KeyType::kEc && type != KeyType::kEd25519) {
    return fail("unsupported key type (RSA, ECDSA or Ed25519 expected)");
  }
  return out;
}

bool needs_passphrase(const Error& refusal) {
  return refusal.kind == ErrorKind::kInput && refusal.message.starts_with("key file ") &&
         refusal.message.ends_with(kEncryptedNeedsPassphrase);
}

Result<PrivateKeyFile> read_private_key_file(const std::filesystem::path& path, const SecretString* passphrase) {
  TRY_STATUS(check_private_file_permissions(path));
  TRY(Bytes raw, read_file(path, kMaxKeyFileSize));
  const SecretBytes data(std::move(raw));
  return parse_private_key_file(data.bytes(), passphrase, path.string());
}

Result<PrivateKeyFile> read_private_key_file_asking(const std::filesystem::path& path, const PassphraseAsk& ask) {
  auto file = read_private_key_file(path, nullptr);
  if (file.ok() || !ask || !needs_passphrase(file.error())) return file;
  TRY(const SecretString passphrase, ask());
  return read_private_key_file(path, &passphrase);
}

}  // namespace chartprov::crypto
