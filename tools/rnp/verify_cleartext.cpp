// `verify-cleartext KEYRING PROVFILE`: RNP's own verdict on a Helm .prov
// (a cleartext-signed message), the reference our codec is compared with.
#include "commands.hpp"
#include "envelope/prov/cleartext.hpp"
#include "keyring_store.hpp"
#include "util/file.hpp"

namespace chartprov::rnpbridge {
namespace {

struct OpVerifyDeleter {
  void operator()(rnp_op_verify_st* p) const { rnp_op_verify_destroy(p); }
};
using OpVerify = std::unique_ptr<rnp_op_verify_st, OpVerifyDeleter>;

std::string bad(const std::string& why) { return "bad " + why; }

}  // namespace

Result<std::string> verify_cleartext(const std::string& keyring, const std::string& prov_path) {
  TRY(const Ffi ffi, load_store(keyring, false));
  TRY(Bytes prov, read_file(prov_path, envelope::prov::kMaxProvFile));
  // RNP 0.16 rejects armor whose END line has no final newline, which helm
  // v4 writes; a trailing newline after the armor changes nothing signed.
  prov.push_back('\n');
  rnp_input_t in_raw = nullptr;
  if (rnp_input_from_memory(&in_raw, prov.data(), prov.size(), false) != RNP_SUCCESS) {
    return internal_error("rnp_input_from_memory failed");
  }
  const Input in(in_raw);
  rnp_output_t out_raw = nullptr;
  if (rnp_output_to_null(&out_raw) != RNP_SUCCESS) return internal_error("rnp_output_to_null failed");
  const Output out(out_raw);
  rnp_op_verify_t op_raw = nullptr;
  if (rnp_op_verify_create(&op_raw, ffi.get(), in.get(), out.get()) != RNP_SUCCESS) {
    return internal_error("rnp_op_verify_create failed");
  }
  const OpVerify op(op_raw);
  const rnp_result_t rc = rnp_op_verify_execute(op.get());
  size_t count = 0;
  rnp_op_verify_get_signature_count(op.get(), &count);
  if (count == 0) return bad(std::string("no signature: ") + rnp_result_to_string(rc));
  std::string fprs;
  for (size_t i = 0; i < count; ++i) {
    rnp_op_verify_signature_t sig = nullptr;
    if (rnp_op_verify_get_signature_at(op.get(), i, &sig) != RNP_SUCCESS) return bad("unreadable signature");
    const rnp_result_t status = rnp_op_verify_signature_get_status(sig);
    if (status != RNP_SUCCESS) return bad(rnp_result_to_string(status));
    rnp_key_handle_t key_raw = nullptr;
    if (rnp_op_verify_signature_get_key(sig, &key_raw) != RNP_SUCCESS || key_raw == nullptr) {
      return bad("signing key not in keyring");
    }
    const Key key(key_raw);
    if (!fprs.empty()) fprs.push_back(' ');
    fprs.append(fingerprint(key.get()));
  }
  if (rc != RNP_SUCCESS) return bad(rnp_result_to_string(rc));
  return "good " + fprs;
}

}  // namespace chartprov::rnpbridge
