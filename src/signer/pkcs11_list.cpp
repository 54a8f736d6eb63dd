#include "signer/pkcs11_list.hpp"

#include <nlohmann/json.hpp>

#include "infra/openssl/spki.hpp"
#include "infra/process/process.hpp"
#include "signer/exec_signer.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/encoding.hpp"

namespace chartprov::signer {

Result<std::vector<TokenKey>> list_pkcs11_keys(std::string_view token_uri, const SecretString* pin,
                                                const std::string& helper) {
  using nlohmann::json;
  TRY(const Pkcs11Uri uri, parse_pkcs11_uri(token_uri, true));
  if (uri.module_path.empty()) return usage_error("PKCS#11 URI: add ?module-path=/path/to/module.so");
  json request = {{"protocol", "chartprov-signer/1"}, {"op", "list"}, {"uri", std::string(token_uri)}};
  if (pin != nullptr) request["pin"] = pin->str();
  std::string body = request.dump();
  if (pin != nullptr) {
    auto& p = request["pin"].get_ref<std::string&>();
    secure_wipe(p.data(), p.size());
  }
  process::ProcessLimits limits;
  limits.max_stdout = 1u << 20;
  auto run = process::run_process({helper}, as_bytes(body), limits);
  secure_wipe(body.data(), body.size());
  if (!run) return run.error();
  const json answer = json::parse(run->out, nullptr, false);
  if (run->exit_code != 0) {
    std::string why = "chartprov-pkcs11 failed";
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
      why += ": " + answer["error"].get<std::string>();
    }
    return input_error(why);
  }
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
      if (auto pub = crypto::parse_public_key_pem(k["public_key"].get<std::string>()); pub.ok()) key.public_key = std::move(*pub);
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
  json request = {{"protocol", "chartprov-signer/1"}, {"op", "generate"}, {"uri", std::string(key_uri)},
                  {"new_label", new_label}, {"new_id", hex_encode(new_id)}};
  if (pin != nullptr) request["pin"] = pin->str();
  std::string body = request.dump();
  if (pin != nullptr) {
    auto& p = request["pin"].get_ref<std::string&>();
    secure_wipe(p.data(), p.size());
  }
  process::ProcessLimits limits;
  limits.timeout = std::chrono::milliseconds(120000);  // RSA generation on a slow HSM
  auto run = process::run_process({helper}, as_bytes(body), limits);
  secure_wipe(body.data(), body.size());
  if (!run) return run.error();
  if (run->exit_code != 0) {
    const json answer = json::parse(run->out, nullptr, false);
    std::string why = "generating the successor on the token failed";
    if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
      why += ": " + answer["error"].get<std::string>();
    }
    return verify_error(why);
  }
  return parse_public_key_answer(run->out);
}

}  // namespace chartprov::signer
