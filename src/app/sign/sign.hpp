#pragma once
// The sign use case: write CHART.tgz.prov for a chart archive, in Helm's
// provenance format, with a key file or an existing GnuPG secret key.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct SignerSpec {
  enum class Kind { kKeyFile, kGnupgKeyring, kGnupgHome };
  Kind kind = Kind::kKeyFile;
  std::filesystem::path path;  // key file, secret keyring, or GnuPG home
  std::string key_name;        // GnuPG: user id (part), key id or fingerprint
};

// Asked for a passphrase only when one is needed.
using PassphraseProvider = std::function<Result<SecretString>()>;

struct SignRequest {
  std::filesystem::path chart;
  SignerSpec signer;
  PassphraseProvider passphrase;
  bool passphrase_given = false;  // the provider does not prompt (file / env)
  std::int64_t now = 0;           // 0 = the clock
};

struct SignResult {
  std::filesystem::path prov;
  std::string fingerprint;  // upper-case hex of the signing key
  std::vector<std::string> user_ids;
  std::string chart_name, chart_version, digest;
};

Result<SignResult> sign_chart(const SignRequest& request);

}  // namespace chartprov::app
