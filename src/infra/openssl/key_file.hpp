#pragma once
// The private key file that `chartprov key generate` writes (PREFIX.key):
// a few header lines, then a PKCS#8 PEM block that `openssl pkey` reads too.
//
//   Chartprov-Key: 1
//   OpenPGP-Created: 1764000000
//   User-ID: Name <email>
//   -----BEGIN ENCRYPTED PRIVATE KEY-----      (or BEGIN PRIVATE KEY, unencrypted)
//   ...
//   -----END ENCRYPTED PRIVATE KEY-----
//
// OpenPGP-Created fixes the key's OpenPGP fingerprint (v4 fingerprints hash
// the creation time); User-ID is what certificates made from it carry.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::crypto {

// The most a key file (OpenPGP or PEM, public or secret; a trust root's
// listed key file) may hold.
inline constexpr std::uint64_t kMaxKeyFileSize = 1u << 20;

struct KeyFileInfo {
  std::uint32_t created = 0;  // OpenPGP creation time (unix)
  std::string user_id;        // one line; may be empty
};

struct PrivateKeyFile {
  PKey key;
  KeyFileInfo info;
  bool encrypted = false;
};

// The file's bytes; the caller writes them with atomic_write(path, ..., 0600).
// With a passphrase the key is encrypted (PBES2: scrypt + AES-256-CBC). An
// empty passphrase is a usage error (pass none for an unencrypted file).
Result<SecretBytes> write_private_key_file(const PKey& key, const KeyFileInfo& info, const SecretString* passphrase);

// Reads path after refusing group/other-accessible files. passphrase may be
// null: an encrypted file then gives an input error that says how to supply
// one. A wrong passphrase is "wrong passphrase for <path>".
Result<PrivateKeyFile> read_private_key_file(const std::filesystem::path& path, const SecretString* passphrase);

// Whether read_private_key_file(path, nullptr) refused the file only because it
// is encrypted: then, and only then, is a passphrase worth asking for. Any
// other refusal (a loosely permissioned file, one that is not a key file) is
// the error to report.
bool needs_passphrase(const Error& refusal);

// Asks for a key file's passphrase (a prompt, a file, the environment).
using PassphraseAsk = std::function<Result<SecretString>()>;

// read_private_key_file without a passphrase; when, and only when, the file
// is encrypted (needs_passphrase), `ask` is called and the file read again with
// its answer. Refusals: read_private_key_file's, and `ask`'s. Without `ask`, an
// encrypted file is refused as without a passphrase.
Result<PrivateKeyFile> read_private_key_file_asking(const std::filesystem::path& path, const PassphraseAsk& ask);

// The same from bytes; `source` names them in messages.
Result<PrivateKeyFile> parse_private_key_file(ByteView data, const SecretString* passphrase, const std::string& source);

}  // namespace chartprov::crypto
