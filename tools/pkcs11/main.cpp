// chartprov-pkcs11: signs digests with a key inside an HSM for chartprov.
// It speaks the exec signer protocol (docs/EXEC-SIGNER.md) with two extra
// request fields, "uri" (RFC 7512, with module-path) and "pin". A separate,
// dynamically linked program because the static chartprov cannot dlopen a
// PKCS#11 module. chartprov verifies every signature it returns.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/spki.hpp"
#include "pkcs11_module.hpp"
#include "util/encoding.hpp"

namespace {

using nlohmann::json;
using namespace chartprov;

int answer_error(const std::string& message) {
  std::cout << json{{"error", message}}.dump() << std::flush;
  return 1;
}

Result<json> handle(const json& request) {
  if (!request.is_object() || request.value("protocol", "") != "chartprov-signer/1") {
    return usage_error("unsupported protocol");
  }
  const auto uri_field = request.find("uri");
  if (uri_field == request.end() || !uri_field->is_string()) return usage_error("the request has no \"uri\"");
  const std::string op = request.value("op", "");
  TRY(const signer::Pkcs11Uri uri, signer::parse_pkcs11_uri(uri_field->get<std::string>(), op == "list"));
  std::optional<SecretString> pin;
  if (const auto it = request.find("pin"); it != request.end() && it->is_string())
    pin = SecretString(it->get<std::string>());
  TRY(const auto module, pkcs11::Module::load(uri.module_path));
  TRY(const auto session, pkcs11::Session::open(*module, uri, pin ? &*pin : nullptr, op == "generate"));
  if (op == "list") {
    TRY(const auto keys, session->list_keys());
    json list = json::array();
    for (const auto& k : keys) {
      json entry = {{"label", k.label}, {"id", hex_encode(k.id)}};
      if (k.public_key) {
        TRY(const std::string pem, crypto::public_key_pem(k.public_key));
        entry["public_key"] = pem;
      }
      list.push_back(std::move(entry));
    }
    return json{{"keys", std::move(list)}};
  }
  TRY(const CK_OBJECT_HANDLE key, session->find_private_key(uri));
  TRY(const crypto::PKey public_key, session->public_key(uri));
  if (op == "generate") {
    // The successor of the URI's key: same type, new label and id.
    const auto label = request.find("new_label");
    const auto id = request.find("new_id");
    if (label == request.end() || !label->is_string() || id == request.end() || !id->is_string()) {
      return usage_error("generate needs \"new_label\" and \"new_id\" (hex)");
    }
    TRY(const Bytes new_id, hex_decode(id->get<std::string>()));
    if (label->get<std::string>().empty() || new_id.empty()) return usage_error("empty label or id");
    TRY(const crypto::PKey made, session->generate_like(public_key, label->get<std::string>(), new_id));
    TRY(const std::string pem, crypto::public_key_pem(made));
    return json{{"public_key", pem}};
  }

  if (op == "public-key") {
    TRY(const std::string pem, crypto::public_key_pem(public_key));
    return json{{"public_key", pem}};
  }
  if (op == "sign") {
    const auto digest_field = request.find("digest");
    const auto hash_field = request.find("hash");
    if (digest_field == request.end() || !digest_field->is_string() || hash_field == request.end() ||
        !hash_field->is_string()) {
      return usage_error("a sign request needs \"hash\" and \"digest\"");
    }
    TRY(const Bytes digest, base64_decode(digest_field->get<std::string>()));
    TRY(const Bytes signature, session->sign(key, public_key, hash_field->get<std::string>(), digest));
    return json{{"signature", base64_encode(signature)}};
  }
  return usage_error("unknown op");
}

}  // namespace

int main() {
  crypto::init_openssl();
  std::string input;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    input.append(buf, n);
    if (input.size() > 65536) return answer_error("request too large");
  }
  json request = json::parse(input, nullptr, false);
  secure_wipe(input.data(), input.size());
  if (request.is_discarded()) return answer_error("the request is not JSON");
  auto answer = handle(request);
  if (request.is_object() && request.contains("pin") && request["pin"].is_string()) {
    auto& pin = request["pin"].get_ref<std::string&>();
    secure_wipe(pin.data(), pin.size());
  }
  if (!answer) return answer_error(answer.error().message);
  std::cout << answer->dump() << std::flush;
  return 0;
}
