#include "app/verify/keyring_loader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/helpers/helper_path.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/process/process.hpp"
#include "openpgp/openssl_key.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

constexpr int kProtocolVersion = 2;                     // tools/rnp/PROTOCOL.md
constexpr std::int64_t kMaxExpiry = 0x1ffffffffLL;      // creation (u32) + lifetime (u32)
constexpr std::uint64_t kMaxKeyringAnswer = 64u << 20;  // the helper's JSON view of a keyring, and its cache
constexpr std::size_t kMaxKeys = 100000;

// The bytes that identify a keyring's content: the file, or a GnuPG home's
// public keyrings, each length-prefixed so no file can pose as a home.
Status append_part(Bytes& out, const std::filesystem::path& p, const std::string& keyring) {
  auto b = read_file(p, openpgp::kMaxKeyringFile);
  if (!b.ok()) return input_error("cannot read keyring " + keyring + ": " + b.error().message);
  const std::string header = p.filename().string() + " " + std::to_string(b->size()) + "\n";
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), b->begin(), b->end());
  return ok_status();
}

Result<Bytes> keyring_identity(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return input_error("cannot read keyring " + path.string() + ": no such file");
  Bytes all;
  if (!std::filesystem::is_directory(path, ec)) {
    all.push_back('f');
    TRY_STATUS(append_part(all, path, path.string()));
    return all;
  }
  all.push_back('d');
  for (const char* name : {"pubring.kbx", "pubring.gpg"}) {
    if (std::filesystem::exists(path / name, ec)) TRY_STATUS(append_part(all, path / name, path.string()));
  }
  return all;
}

std::string cache_key(const Bytes& identity) {
  crypto::Digest d = std::move(crypto::Digest::create(crypto::DigestAlg::kSha256).value());
  d.update("chartprov-keyring-v" + std::to_string(kProtocolVersion) + "\n");
  d.update(identity);
  return hex_encode(d.finish());
}

// The cache directory if it is safe to use: ours, not writable by others.
std::optional<std::filesystem::path> cache_dir(bool create) {
  std::filesystem::path dir;
  if (const char* d = std::getenv("CHARTPROV_CACHE_DIR"); d != nullptr && *d != '\0') {
    dir = d;
  } else if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    dir = std::filesystem::path(x) / "chartprov" / "keyrings";
  } else if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    dir = std::filesystem::path(h) / ".cache" / "chartprov" / "keyrings";
  } else {
    return std::nullopt;
  }
  std::error_code ec;
  if (create && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    ::chmod(dir.c_str(), 0700);
  }
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return std::nullopt;
  if (st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) return std::nullopt;  // someone else could plant entries
  return dir;
}

// An entry's first line names the digest of the keyring bytes it was made
// from, checked on every load: an entry copied over another keyring's is not
// that keyring's answer, and is a miss (the helper is asked again).
std::string entry_header(const std::string& key) { return "chartprov-keyring-cache sha256:" + key + "\n"; }

// The helper's answer filed under `key`, if the entry is ours and was made from
// exactly the keyring bytes `key` is the digest of.
std::optional<std::string> read_cache_entry(const std::filesystem::path& dir, const std::string& key) {
  const std::filesystem::path file = dir / (key + ".json");
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (st.st_uid != ::geteuid() || (st.st_mode & 022) != 0) return std::nullopt;
  auto text = read_text_file(file, kMaxKeyringAnswer + 128);
  const std::string header = entry_header(key);
  if (!text.ok() || text->compare(0, header.size(), header) != 0) return std::nullopt;
  return text->substr(header.size());
}

Result<std::string> ask_helper(const std::filesystem::path& path) {
  TRY(const std::string helper, rnp_helper_path());
  process::ProcessLimits limits;
  limits.extra_env = {"BOTAN_MLOCK_POOL_SIZE=0"};
  limits.max_stdout = kMaxKeyringAnswer;  // what parse_keyring_json accepts
  TRY(const auto r, process::run_process({helper, "keyring", path.string()}, {}, limits));
  if (r.exit_code != 0) {
    std::string msg = r.err;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return input_error("cannot read keyring " + path.string() + ": " + (msg.empty() ? "helper failed" : msg));
  }
  return r.out;
}

// Numbers are integers in range or the entry is refused: nlohmann's get<>
// would convert 1e300 or -1 silently (a float to int cast is even UB).
Result<std::int64_t> expiry_of(const nlohmann::json& j, const char* name = "expires_at") {
  if (!j.is_number_unsigned() || j.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxExpiry)) {
    return input_error(std::string(name) + " is not a unix time");
  }
  return static_cast<std::int64_t>(j.get<std::uint64_t>());
}

Result<openpgp::KeyringKey> parse_key(const nlohmann::json& j) {
  if (!j.is_object()) return input_error("a key entry is not an object");
  openpgp::KeyringKey k;
  TRY(const Bytes body, base64_decode(j.at("public_key").get<std::string>()));
  TRY(k.key, openpgp::parse_public_key(body));
  TRY(k.primary_fingerprint, hex_decode(j.at("primary_fingerprint").get<std::string>()));
  if (k.primary_fingerprint.size() != k.key.fingerprint.size()) return input_error("malformed primary fingerprint");
  k.is_subkey = j.at("is_subkey").get<bool>();
  const auto& uids = j.at("user_ids");
  if (!uids.is_array()) return input_error("user_ids is not a list");
  for (const auto& uid : uids) k.user_ids.push_back(uid.get<std::string>());
  k.can_sign = j.at("can_sign").get<bool>();
  k.valid = j.at("valid").get<bool>();
  TRY(k.expires_at, expiry_of(j.at("expires_at")));
  TRY(k.valid_until, expiry_of(j.at("valid_until"), "valid_until"));
  k.revoked = j.at("revoked").get<bool>();
  k.revocation_reason = j.at("revocation_reason").get<std::string>();
  if (k.is_subkey == (k.primary_fingerprint == k.key.fingerprint)) {
    return input_error(k.is_subkey ? "a subkey entry names itself as its primary"
                                   : "primary key entry whose fingerprint differs from its own");
  }
  return k;
}

}  // namespace

Result<openpgp::Keyring> parse_keyring_json(std::string_view json, const std::string& source) {
  if (json.size() > kMaxKeyringAnswer) return input_error("keyring data for " + source + " is too large");
  try {
    const auto j = parse_untrusted_json(json);
    if (j.is_discarded()) return input_error("keyring data for " + source + " is malformed");
    if (!j.is_object() || !j.at("version").is_number_integer() || j.at("version") != kProtocolVersion) {
      return input_error("keyring data for " + source + " has an unknown version");
    }
    const auto& keys = j.at("keys");
    if (!keys.is_array() || keys.size() > kMaxKeys) return input_error("keyring data for " + source + " is malformed");
    openpgp::Keyring ring;
    ring.source = source;
    for (const auto& k : keys) {
      auto key = parse_key(k);
      if (!key.ok()) return key.error().with_context("keyring " + source);
      ring.keys.push_back(std::move(*key));
    }
    return ring;
  } catch (const std::exception&) {
    return input_error("keyring data for " + source + " is malformed");
  }
}

Result<openpgp::Keyring> load_keyring(const std::filesystem::path& path, const KeyringLoadOptions& options) {
  TRY(const Bytes identity, keyring_identity(path));
  const std::string key = cache_key(identity);

  const auto dir = options.use_cache ? cache_dir(false) : std::nullopt;
  if (dir) {
    if (auto cached = read_cache_entry(*dir, key); cached) {
      auto ring = parse_keyring_json(*cached, path.string());
      if (ring.ok()) return ring;  // a corrupt entry is rewritten below
    }
  }
  TRY(const std::string answer, ask_helper(path));
  TRY(openpgp::Keyring ring, parse_keyring_json(answer, path.string()));
  if (options.use_cache) {
    // The helper read the keyring itself: if it changed meanwhile, the
    // answer may belong to other bytes, so it must not be filed under ours.
    auto again = keyring_identity(path);
    if (!again.ok() || cache_key(*again) != key) {
      return input_error("keyring " + path.string() + " changed while it was being read");
    }
    if (const auto writable = cache_dir(true); writable) {
      // Best effort: a cache, not a record.
      (void)atomic_write(*writable / (key + ".json"), entry_header(key) + answer, 0600);
    }
  }
  return ring;
}

void build_openssl_keys(openpgp::Keyring& keyring) {
  for (auto& k : keyring.keys) {
    auto p = openpgp::to_openssl_public_key(k.key);
    if (!p) continue;
    k.openssl_key = std::make_shared<const crypto::PKey>(std::move(*p));
    // DER-encoding a key through OpenSSL's encoders costs 20-40 us: once per key, not per chart.
    if (auto id = crypto::spki_key_id(*k.openssl_key); id) k.spki_key_id = std::move(*id);
  }
}

}  // namespace chartprov::app
