#include "app/gnupg_signing.hpp"

#include <nlohmann/json.hpp>

#include "app/helper_path.hpp"
#include "infra/process/process.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {

Result<GnupgSignature> sign_with_gnupg(const GnupgSignRequest& req) {
  TRY(const std::string helper, rnp_helper_path());
  std::error_code ec;
  if (!std::filesystem::exists(req.source, ec)) return input_error("cannot read " + req.source.string() + ": no such file");
  nlohmann::json j = {{"source", std::filesystem::absolute(req.source).string()},
                      {"key", req.key},
                      {"passphrase", req.passphrase.str()},
                      {"created", req.created},
                      {"data", base64_encode(req.data)}};
  SecretString request(j.dump());
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
