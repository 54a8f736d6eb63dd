#include "signer/exec_signer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "infra/process/json_request.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::signer {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxAnswer = 64u << 10;
constexpr const char* kProtocol = "chartprov-signer/1";

const char* hash_name(crypto::DigestAlg alg) {
  switch (alg) {
    case crypto::DigestAlg::kSha256: return "SHA256";
    case crypto::DigestAlg::kSha384: return "SHA384";
    case crypto::DigestAlg::kSha512: return "SHA512";
    default: return nullptr;
  }
}

// Only printable ASCII of a plugin's message reaches our stderr.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 300)) out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

Status check_program(const std::string& path) {
  if (path.empty() || path.front() != '/')
    return usage_error("exec signer: give an absolute path, e.g. exec:/usr/local/bin/kms-signer");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return input_error("exec signer: " + path + " does not exist");
  if (!S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) {
    return input_error("exec signer: " + path + " is not an executable file");
  }
  // Whoever can rewrite the plugin can sign as us.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return input_error("exec signer: " + path + " is writable by group or others; run: chmod go-w " + path);
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return input_error("exec signer: " + path + " belongs to another user (must be root's or yours)");
  }
  return ok_status();
}

class ExecSigner final : public Signer {
 public:
  // extra: fields added to every request (the PKCS#11 helper's URI and PIN).
  ExecSigner(std::string program, ExecSignerOptions options, json extra, std::string description)
      : program_(std::move(program)),
        options_(std::move(options)),
        extra_(std::move(extra)),
        description_(std::move(description)) {}
  ExecSigner(const ExecSigner&) = delete;
  ExecSigner& operator=(const ExecSigner&) = delete;
  ~ExecSigner() override { process::wipe_strings(extra_); }

  Status load_public_key() {
    TRY(const std::string out, call({{"protocol", kProtocol}, {"op", "public-key"}}));
    auto key = parse_public_key_answer(out);
    if (!key) return key.error().with_context(where() + "answered");
    const auto type = crypto::key_type(*key);
    if (type != crypto::KeyType::kEc && type != crypto::KeyType::kRsa) {
      return verify_error(where() + "has an Ed25519 or other key; the exec protocol signs digests (ECDSA, RSA) only");
    }
    TRY(key_id_, crypto::spki_key_id(*key));
    if (!options_.expected_key_id.empty() && key_id_ != options_.expected_key_id) {
      return verify_error(where() + "holds key " + key_id_ + ", not the expected " + options_.expected_key_id);
    }
    key_ = std::move(*key);
    return ok_status();
  }

  const crypto::PKey& public_key() const override { return key_; }
  std::string describe() const override { return description_; }

  Result<Bytes> sign_digest(crypto::DigestAlg alg, ByteView digest) const override {
    const char* hash = hash_name(alg);
    if (hash == nullptr) return usage_error("exec signer: only SHA-256, SHA-384 and SHA-512 digests are signed");
    TRY(const std::string out, call({{"protocol", kProtocol},
                                     {"op", "sign"},
                                     {"hash", hash},
                                     {"digest", base64_encode(digest)},
                                     {"key_id", key_id_}}));
    auto signature = parse_signature_answer(out);
    if (!signature) return signature.error().with_context(where() + "answered");
    if (!signature_matches(key_, alg, digest, *signature)) {
      return verify_error(where() + "answered with a signature that does not verify with its public key " +
                          key_id_.substr(0, 16) + " (another key, or garbage): refused");
    }
    return std::move(*signature);
  }

 private:
  std::string where() const { return description_ + " "; }

  Result<std::string> call(json request) const {
    process::ProcessLimits limits;
    limits.timeout = options_.timeout;
    limits.max_stdout = kMaxAnswer;
    request.update(extra_);
    auto run = process::run_json_request(program_, std::move(request), limits);
    if (!run) return verify_error(where() + "failed: " + run.error().message);
    if (run->exit_code != 0) {
      std::string why = printable(run->err);
      if (const std::string error = process::json_error_message(run->out); !error.empty()) why = printable(error);
      if (run->term_signal != 0) why = "killed by signal " + std::to_string(run->term_signal);
      return verify_error(where() + "failed (exit " + std::to_string(run->exit_code) + ")" +
                          (why.empty() ? "" : ": " + why));
    }
    return std::move(run->out);
  }

  std::string program_;
  ExecSignerOptions options_;
  json extra_;
  std::string description_;
  crypto::PKey key_;
  std::string key_id_;
};

}  // namespace

namespace {

Result<std::string> answer_field(std::string_view out, const char* name) {
  if (out.size() > kMaxAnswer) return verify_error("an answer larger than " + byte_size_text(kMaxAnswer));
  const json answer = parse_untrusted_json(out);
  if (answer.is_discarded() || !answer.is_object()) return verify_error("something that is not a JSON object");
  if (answer.contains("error")) return verify_error("an error object despite exit status 0");
  const auto it = answer.find(name);
  if (it == answer.end() || !it->is_string()) return verify_error(std::string("without a \"") + name + "\" string");
  return it->get<std::string>();
}

}  // namespace

Result<crypto::PKey> parse_public_key_answer(std::string_view out) {
  TRY(const std::string pem, answer_field(out, "public_key"));
  auto key = crypto::parse_public_key_pem(pem);
  if (!key) return verify_error("an unusable public key: " + key.error().message);
  return std::move(*key);
}

Result<Bytes> parse_signature_answer(std::string_view out) {
  TRY(const std::string b64, answer_field(out, "signature"));
  auto signature = base64_decode(b64);
  if (!signature || signature->empty()) return verify_error("a signature that is not base64");
  return std::move(*signature);
}

Result<std::unique_ptr<Signer>> open_exec_signer(std::string_view reference, const ExecSignerOptions& options) {
  if (reference.substr(0, kExecScheme.size()) != kExecScheme) return usage_error("not an exec: key reference");
  const std::string program(reference.substr(kExecScheme.size()));
  TRY_STATUS(check_program(program));
  auto signer = std::make_unique<ExecSigner>(program, options, json::object(), std::string(kExecScheme) + program);
  TRY_STATUS(signer->load_public_key());
  return std::unique_ptr<Signer>(std::move(signer));
}

Result<std::unique_ptr<Signer>> open_pkcs11_signer(std::string_view uri, const SecretString* pin,
                                                   const std::string& helper, const ExecSignerOptions& options) {
  TRY(const Pkcs11Uri parsed, parse_pkcs11_uri(uri));  // refuse a bad URI before starting anything
  if (parsed.module_path.empty()) {
    return usage_error("PKCS#11 URI: add ?module-path=/path/to/module.so (e.g. /usr/lib/softhsm/libsofthsm2.so)");
  }
  json extra = {{"uri", std::string(uri)}};
  if (pin != nullptr) extra["pin"] = pin->str();
  auto signer = std::make_unique<ExecSigner>(helper, options, std::move(extra), redact_pkcs11_uri(uri));
  TRY_STATUS(signer->load_public_key());
  return std::unique_ptr<Signer>(std::move(signer));
}

}  // namespace chartprov::signer
