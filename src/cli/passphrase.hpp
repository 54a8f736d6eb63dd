#pragma once
// Where a passphrase comes from, in order: --passphrase-file (first line;
// "-" = stdin), the environment (CHARTPROV_PASSWORD, or another variable the
// caller names), a prompt on the terminal. Never echoed, never logged.
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::cli {

struct PassphraseSource {
  std::optional<std::string> file;                              // --passphrase-file
  std::vector<std::string> env_names = {"CHARTPROV_PASSWORD"};  // tried in order
  std::string prompt = "Passphrase: ";
  bool confirm = false;  // ask twice on a terminal (new keys)
};

Result<SecretString> obtain_passphrase(const PassphraseSource& source);

}  // namespace chartprov::cli
