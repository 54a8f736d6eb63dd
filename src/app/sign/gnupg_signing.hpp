#pragma once
// Signing with an existing GnuPG secret key (a secret keyring, as helm's
// --keyring, or a GnuPG home), through the chartprov-rnp helper.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "openpgp/signature.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::app {

struct GnupgSignRequest {
  std::filesystem::path source;
  std::string key;
  SecretString passphrase;
  std::uint32_t created = 0;                            // signature time; 0 = now
  openpgp::HashAlgo hash = openpgp::HashAlgo::kSha512;  // SHA-2 family only
  std::uint8_t type = 0x01;                             // 0x00 binary, 0x01 canonical text
  Bytes data;                                           // the exact bytes to sign (for type 1: CR LF text)
};

struct GnupgSignature {
  Bytes signature;                  // one v4 signature packet
  std::string fingerprint;          // upper-case hex, of the key that signed (maybe a subkey)
  std::string primary_fingerprint;  // of its primary key
  std::vector<std::string> user_ids;
};

// Key selection as `helm package --sign --key`: an exact user ID, else the
// one entity whose user IDs contain the name; or a key id / fingerprint.
// The entity's valid signing key signs (its primary, else its newest
// signing subkey); expired, revoked and stub keys are refused. A GnuPG home
// needs gpg on PATH (its secret key files are exported through gpg).
// Errors are one line: "private key not found: ...", "more than one key
// contains the id ...", "wrong passphrase ...", "... a passphrase is needed";
// refused before anything is read: a secret keyring file or GnuPG home that
// group or others may access ("secret keyring ... is accessible by group or
// others", as a private key file is).
Result<GnupgSignature> sign_with_gnupg(const GnupgSignRequest& request);

}  // namespace chartprov::app
