#pragma once
// The options that name a signing key, shared by `sign` and `package --sign`.
#include <optional>
#include <string>

#include "app/sign/sign.hpp"
#include "util/result.hpp"

namespace CLI {
class App;
}

namespace chartprov::cli {

struct SignerOptions {
  std::string key;
  std::string keyring;
  std::string gnupg_home;
  std::string passphrase_file;
};

void add_signer_options(CLI::App& cmd, SignerOptions& o);

// Builds the app's signer spec and passphrase provider from the options.
Result<app::SignRequest> make_sign_request(const SignerOptions& o);

}  // namespace chartprov::cli
