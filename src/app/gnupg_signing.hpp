#pragma once
// Signing with an existing GnuPG secret key (a secret keyring, as helm's
// --keyring, or a GnuPG home), through the chartprov-rnp helper.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct GnupgSignRequest {
  std::filesystem::path source;
  std::string key;
  SecretString passphrase;
  std::uint32_t created = 0;
  Bytes data;  // the exact bytes to sign (canonical text)
};

struct GnupgSignature {
  Bytes signature;  // one v4 signature packet
  std::string fingerprint;
  std::vector<std::string> user_ids;
};

Result<GnupgSignature> sign_with_gnupg(const GnupgSignRequest& request);

}  // namespace chartprov::app
