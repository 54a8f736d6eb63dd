#pragma once
// A signer that is an external program: the bridge to a cloud KMS, Vault or
// any key store chartprov does not link. `--key exec:/path/to/plugin`.
// One JSON request on the plugin's stdin, one JSON answer on its stdout,
// one process per request (docs/EXEC-SIGNER.md has the protocol):
//
//   {"protocol":"chartprov-signer/1","op":"public-key"}
//     -> {"public_key":"-----BEGIN PUBLIC KEY-----\n..."}
//   {"protocol":"chartprov-signer/1","op":"sign","hash":"SHA256","digest":"<base64>","key_id":"<hex>"}
//     -> {"signature":"<base64: ECDSA DER or RSA PKCS#1 v1.5 block>"}
//   failure: exit non-zero, optionally {"error":"..."}
//
// Nothing the plugin says is trusted: every signature is verified with the
// public key before it is used (a plugin answering for another key is
// refused), answers are size-capped and strictly parsed, and a plugin that
// hangs is killed at the timeout.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "signer/signer.hpp"
#include "util/secure.hpp"

namespace chartprov::signer {

inline constexpr std::string_view kExecScheme = "exec:";

struct ExecSignerOptions {
  std::chrono::milliseconds timeout{30000};
  std::string expected_key_id;  // hex SHA-256 of the SPKI; empty = whatever the plugin has
};

// reference: "exec:/absolute/path". The program must be a regular,
// executable file that only its owner (root or us) can write.
Result<std::unique_ptr<Signer>> open_exec_signer(std::string_view reference, const ExecSignerOptions& options = {});

// The plugin's answers (stdout), strictly parsed; exposed for tests and fuzzing.
Result<crypto::PKey> parse_public_key_answer(std::string_view out);
Result<Bytes> parse_signature_answer(std::string_view out);

// A key in an HSM (RFC 7512 URI with module-path): the same protocol, spoken
// by chartprov's own helper `chartprov-pkcs11` (the static chartprov cannot
// dlopen a PKCS#11 module). The URI and the PIN travel on the helper's stdin,
// never on a command line. pin may be null (then the URI's pin-value, if any).
Result<std::unique_ptr<Signer>> open_pkcs11_signer(std::string_view uri, const SecretString* pin,
                                                   const std::string& helper, const ExecSignerOptions& options = {});

}  // namespace chartprov::signer
