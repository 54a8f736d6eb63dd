#pragma once
// Backup and recovery of a private key as K-of-N Shamir shares (issue 4).
// The secret split is the key's PKCS#8 DER; every share names the key (the
// SHA-256 of its public key) and the split it belongs to, so restore can
// refuse shares that do not belong together and prove that what it rebuilt
// is the recorded key.
#include <string>
#include <vector>

#include "infra/openssl/key_file.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// The armored shares, share 1 first.
Result<std::vector<std::string>> backup_key(const crypto::PKey& key, const crypto::KeyFileInfo& info,
                                            unsigned threshold, unsigned shares);

struct RestoredKey {
  crypto::PKey key;
  crypto::KeyFileInfo info;
  std::string key_id;  // hex SHA-256 of the SPKI DER, as recorded in the shares
};

// share_texts: the armored shares, any order. Errors (nothing rebuilt): a
// share that does not parse, shares of different keys or backups, duplicates,
// fewer than the threshold, or a result whose public key is not the recorded one.
Result<RestoredKey> restore_key(const std::vector<std::string>& share_texts);

}  // namespace chartprov::app
