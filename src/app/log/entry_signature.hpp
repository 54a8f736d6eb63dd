#pragma once
// Whether a log entry's signature is its signer's. The log checks this before
// it logs a submission (submission.hpp); the monitor checks it again before it
// alerts on an entry (monitor.hpp), so that an alert naming a key never rests
// on the log's word alone: a log that holds a signature that does not verify
// is corrupt or forging entries, and the key it names did nothing.
//
// Refusals (input errors), in the words the submission uses:
//  - hashedrekord: a key or certificate that does not read, a keyDetails that
//    is unknown or not the key's (sigstore::parse_log_key), an Ed25519 key
//    ("Ed25519 signs the chart, not its digest: the log cannot check it"), a
//    signature that does not verify over the digest ("the signature does not
//    verify over the digest");
//  - helm_prov: a key that is not one binary OpenPGP certificate ("the public
//    key is not one OpenPGP certificate"), a .prov not signed by its primary
//    key ("the provenance is not signed by the certificate's primary key"), or
//    signed but refused at `now` ("the provenance: " + the reason).
#include <cstdint>

#include "infra/openssl/pkey.hpp"
#include "tlog/chart_entry_types.hpp"
#include "util/result.hpp"

namespace chartprov::app::log {

Status check_entry_signature(const tlog::ChartEntry& entry, std::int64_t now);

// The key that verifies a hashedrekord entry: its public key, or its
// certificate's, as its keyDetails names it. The refusals above.
Result<crypto::PKey> hashedrekord_key(const tlog::ChartEntry& entry);

// The primary key of one binary OpenPGP certificate. The refusal above.
Result<crypto::PKey> certificate_primary_key(ByteView certificate);

}  // namespace chartprov::app::log
