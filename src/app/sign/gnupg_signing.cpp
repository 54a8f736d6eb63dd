#include "app/sign/gnupg_signing.hpp"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/helpers/helper_path.hpp"
#include "infra/json/untrusted_json.hpp"
#include "infra/process/process.hpp"
#include "util/encoding.hpp"
#include "util/secret_permissions.hpp"

namespace chartprov::app {
namespace {

Result<std::string> find_gpg() {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / "gpg";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return input_error("--gnupg-home needs gpg on PATH (GnuPG owns its home directory's key format)");
}

bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xc0u) != 0x80u) return false;
      cp = (cp << 6) | (t & 0x3fu);
    }
    const std::uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// s as a JSON string literal (s is UTF-8), appended without a temporary.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  out += '"';
}

// gpg's machine-readable verdict (--status-fd, not translated): the code of
// its "ERROR export_keys.secret <code>" line, without the error source.
unsigned export_error_code(const std::string& status) {
  const std::string tag = "[GNUPG:] ERROR export_keys.secret ";
  const std::size_t at = status.find(tag);
  if (at == std::string::npos) return 0;
  return static_cast<unsigned>(std::strtoul(status.c_str() + at + tag.size(), nullptr, 10) & 0xffffu);
}

// GnuPG 2.2 keeps secret keys in private-keys-v1.d in a format RNP 0.16
// cannot read (extended key format, OCB protection), so ask gpg itself to
// export the key (still protected with its passphrase) and hand the bytes
// to the helper in memory.
Result<SecretBytes> export_from_gnupg_home(const GnupgSignRequest& req) {
  TRY(const std::string gpg, find_gpg());
  const std::string home = req.source.string();
  process::ProcessLimits limits;
  SecretString input(req.passphrase.str() + "\n");
  TRY(auto r, process::run_process({gpg, "--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback",
                                    "--passphrase-fd", "0", "--status-fd", "2", "--export-secret-keys", "--", req.key},
                                   as_bytes(input.str()), limits));
  SecretBytes out(Bytes(r.out.begin(), r.out.end()));
  secure_wipe(r.out.data(), r.out.size());
  if (r.exit_code == 0 && !out.bytes().empty()) return out;
  constexpr unsigned kBadPassphrase = 11, kCanceled = 99, kNoPassphrase = 177;
  switch (export_error_code(r.err)) {
    case 0: return input_error("private key not found: \"" + req.key + "\" in " + home);
    case kBadPassphrase: return input_error("wrong passphrase for the key \"" + req.key + "\" in " + home);
    case kNoPassphrase:
    case kCanceled:
      return input_error("the key \"" + req.key + "\" in " + home + " is protected: a passphrase is needed");
    default: return input_error("gpg could not export the key \"" + req.key + "\" from " + home);
  }
}

}  // namespace

Result<GnupgSignature> sign_with_gnupg(const GnupgSignRequest& req) {
  TRY(const std::string helper, rnp_helper_path());
  std::error_code ec;
  if (!std::filesystem::exists(req.source, ec))
    return input_error("cannot read " + req.source.string() + ": no such file");
  // One rule for every secret input, before any passphrase is asked or sent.
  if (std::filesystem::is_directory(req.source, ec)) {
    TRY_STATUS(check_secret_dir_permissions(req.source, "GnuPG home"));
  } else {
    TRY_STATUS(check_secret_file_permissions(req.source, "secret keyring"));
  }
  // JSON strings are UTF-8: a name or passphrase in another charset cannot be sent as it is.
  const std::string source = std::filesystem::absolute(req.source).string();
  if (!is_utf8(source)) return usage_error("the keyring path must be UTF-8 text");
  if (!is_utf8(req.key)) return usage_error("the key name must be UTF-8 text");
  if (!is_utf8(req.passphrase.str())) return usage_error("the passphrase must be UTF-8 text");
  const nlohmann::json public_part = {
      {"source", source},       {"key", req.key},
      {"created", req.created}, {"hash", openpgp::hash_header_name(static_cast<std::uint8_t>(req.hash))},
      {"type", req.type},       {"data", base64_encode(req.data)}};
  SecretString keyring_data;
  if (std::filesystem::is_directory(req.source, ec)) {
    TRY(const SecretBytes exported, export_from_gnupg_home(req));
    keyring_data = SecretString(base64_encode(exported.bytes()));
  }
  // The secret fields go straight into one buffer sized up front, so no
  // copy of them is left behind in freed memory by a reallocation.
  std::string head = public_part.dump();
  head.pop_back();  // the closing brace
  std::string text;
  text.reserve(head.size() + 6 * req.passphrase.size() + keyring_data.size() + 64);
  text += head;
  text += R"(,"passphrase":)";
  append_json_string(text, req.passphrase.str());
  if (!keyring_data.empty()) {
    text += R"(,"keyring_data":")";
    text += keyring_data.str();
    text += '"';
  }
  text += '}';
  const SecretString request(std::move(text));
  process::ProcessLimits limits;
  limits.extra_env = {"BOTAN_MLOCK_POOL_SIZE=0"};
  TRY(const auto r, process::run_process({helper, "sign"}, as_bytes(request.str()), limits));
  if (r.exit_code != 0) {
    std::string msg = r.err;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return input_error(msg.empty() ? "signing with the GnuPG key failed" : msg);
  }
  try {
    const auto out = parse_untrusted_json(r.out);
    if (out.is_discarded()) return internal_error("malformed answer from chartprov-rnp sign");
    GnupgSignature s;
    TRY(s.signature, base64_decode(out.at("signature").get<std::string>()));
    s.fingerprint = out.at("fingerprint").get<std::string>();
    s.primary_fingerprint = out.at("primary_fingerprint").get<std::string>();
    for (const auto& u : out.at("user_ids")) s.user_ids.push_back(u.get<std::string>());
    return s;
  } catch (const std::exception&) {
    return internal_error("malformed answer from chartprov-rnp sign");
  }
}

}  // namespace chartprov::app
