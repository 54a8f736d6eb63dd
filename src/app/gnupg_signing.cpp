#include "app/gnupg_signing.hpp"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "app/helper_path.hpp"
#include "infra/process/process.hpp"
#include "util/encoding.hpp"

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

// GnuPG 2.2 keeps secret keys in private-keys-v1.d in a format RNP 0.16
// cannot always read, so ask gpg itself to export the key (still protected
// with its passphrase) and hand the bytes to the helper in memory.
Result<SecretBytes> export_from_gnupg_home(const GnupgSignRequest& req) {
  TRY(const std::string gpg, find_gpg());
  const std::string home = req.source.string();
  process::ProcessLimits limits;
  SecretString input(req.passphrase.str() + "\n");
  TRY(auto r, process::run_process({gpg, "--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback",
                                    "--passphrase-fd", "0", "--export-secret-keys", "--", req.key},
                                   as_bytes(input.str()), limits));
  SecretBytes out(Bytes(r.out.begin(), r.out.end()));
  secure_wipe(r.out.data(), r.out.size());
  if (r.exit_code != 0 || out.bytes().empty()) {
    if (r.err.find("assphrase") != std::string::npos || r.err.find("canceled") != std::string::npos ||
        r.err.find("Bad") != std::string::npos) {
      return input_error("gpg could not export the key \"" + req.key + "\" from " + home +
                         ": wrong passphrase, or none given");
    }
    return input_error("private key not found: \"" + req.key + "\" in " + home);
  }
  return out;
}

}  // namespace

Result<GnupgSignature> sign_with_gnupg(const GnupgSignRequest& req) {
  TRY(const std::string helper, rnp_helper_path());
  std::error_code ec;
  if (!std::filesystem::exists(req.source, ec)) return input_error("cannot read " + req.source.string() + ": no such file");
  nlohmann::json j = {{"source", std::filesystem::absolute(req.source).string()},
                      {"key", req.key},
                      {"passphrase", req.passphrase.str()},
                      {"created", req.created},
                      {"data", base64_encode(req.data)}};
  if (std::filesystem::is_directory(req.source, ec)) {
    TRY(const SecretBytes exported, export_from_gnupg_home(req));
    j["keyring_data"] = base64_encode(exported.bytes());
  }
  SecretString request(j.dump());
  if (j.contains("keyring_data")) {
    auto& kd = j["keyring_data"].get_ref<std::string&>();
    secure_wipe(kd.data(), kd.size());
  }
  auto& pass = j["passphrase"].get_ref<std::string&>();
  secure_wipe(pass.data(), pass.size());
  process::ProcessLimits limits;
  limits.extra_env = {"BOTAN_MLOCK_POOL_SIZE=0"};
  TRY(const auto r, process::run_process({helper, "sign"}, as_bytes(request.str()), limits));
  if (r.exit_code != 0) {
    std::string msg = r.err;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return input_error(msg.empty() ? "signing with the GnuPG key failed" : msg);
  }
  try {
    const auto out = nlohmann::json::parse(r.out);
    GnupgSignature s;
    TRY(s.signature, base64_decode(out.at("signature").get<std::string>()));
    s.fingerprint = out.at("fingerprint").get<std::string>();
    for (const auto& u : out.at("user_ids")) s.user_ids.push_back(u.get<std::string>());
    return s;
  } catch (const std::exception&) {
    return internal_error("malformed answer from chartprov-rnp sign");
  }
}

}  // namespace chartprov::app
