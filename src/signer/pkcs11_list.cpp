#include "signer/pkcs11_list.hpp"

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/process/json_request.hpp"
#include "signer/exec_signer.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/encoding.hpp"

namespace chartprov::signer {
namespace {

// One request to chartprov-pkcs11, the PIN (if any) added and wiped afterwards.
Result<process::ProcessResult> call_helper(const std::string& helper, nlohmann::json request, const SecretString* pin,
                                           const process::ProcessLimits& limits) {
  if (pin != nullptr) request["pin"] = pin->str();
  return process::run_json_request(helper, std::move(request), limits);
}

}  // namespace

Result<std::vector<TokenKey>> list_pkcs11_keys(std::string_view token_uri, const SecretString* pin,
                                               const std::string& helper) {
  using nlohmann::json;
  TRY(const Pkcs11Uri uri, parse_pkcs11_uri(token_uri, true));
  if (uri.module_path.empty()) return usage_error("PKCS#11 URI: add ?module-path=/path/to/module.so");
  process::ProcessLimits limits;
  limits.max_stdout = 1u << 20;
  TRY(const auto run,
      call_helper(helper, {{"protocol", "chartprov-signer/1"}, {"op", "list"}, {"uri", std::string(token_uri)}}, pin,
                  limits));
  if (run.exit_code != 0) {
    const std::string error = process::json_error_message(run.out);
    return input_error("chartprov-pkcs11 failed" + (error.empty() ? std::string() : ": " + error));
  }
  const json answer = parse_untrusted_json(run.out);
  if (!answer.is_object() || !answer.contains("keys") || !answer["keys"].is_array()) {
    return input_error("chartprov-pkcs11 answered without a key list");
  }
  std::vector<TokenKey> out;
  for (const auto& k : answer["keys"]) {
    if (!k.is_object()) return input_error("chartprov-pkcs11 answered with a malformed key entry");
    TokenKey key;
    if (k.contains("label") && k["label"].is_string()) key.label = k["label"].get<std::string>();
    if (k.contains("id") && k["id"].is_string()) key.id_hex = k["id"].get<std::string>();
    if (k.contains("public_key") && k["public_key"].is_string()) {
      if (auto pub = crypto::parse_public_key_pem(k["public_key"].get<std::string>()); pub.ok())
        key.public_key = std::move(*pub);
    }
    out.push_back(std::move(key));
  }
  return out;
}

Result<crypto::PKey> generate_pkcs11_key_like(std::string_view key_uri, const SecretString* pin,
                                              const std::string& helper, const std::string& new_label,
                                              ByteView new_id) {
  using nlohmann::json;
  TRY(const Pkcs11Uri uri, parse_pkcs11_uri(key_uri));
  if (uri.module_path.empty()) return usage_error("PKCS#11 URI: add ?module-path=/path/to/module.so");
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(120000);  // RSA generation on a slow HSM
  TRY(const auto run, call_helper(helper,
                                  {{"protocol", "chartprov-signer/1"},
                                   {"op", "generate"},
                                   {"uri", std::string(key_uri)},
                                   {"new_label", new_label},
                                   {"new_id", hex_encode(new_id)}},
                                  pin, limits));
  if (run.exit_code != 0) {
    const std::string error = process::json_error_message(run.out);
    return verify_error("generating the successor on the token failed" +
                        (error.empty() ? std::string() : ": " + error));
  }
  return parse_public_key_answer(run.out);
}

}  // namespace chartprov::signer
