#pragma once
// C2SP tlog-cosignature: a witness's signature on a checkpoint it has checked
// for consistency, a signature line of its own in the signed note:
//
//   \u2014 <witness name> base64(key id[4] || timestamp[8, big-endian] || Ed25519 signature[64])
//
// key id = SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4]; the signed
// message is "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint
// body.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "tlog/checkpoint.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// The 4-byte key id of a witness key. Refusal: not an Ed25519 key ("witness
// keys are Ed25519").
Result<Bytes> cosignature_key_id(const crypto::PKey& witness_key, std::string_view name);

// The signature line a witness adds ("\u2014 name base64(...)\n"). Refusals:
// as cosignature_key_id; a name make_note_key would refuse; the signer's.
Result<std::string> sign_cosignature(std::string_view body, std::string_view name, const crypto::PKey& witness_key,
                                     std::uint64_t timestamp);

// The timestamp of the witness's cosignature on cp when a line of that name
// and key id verifies; nullopt when there is none or it does not verify (never
// an error: a missing cosignature is the caller's decision).
std::optional<std::uint64_t> cosigned_at(const Checkpoint& cp, std::string_view name, const crypto::PKey& witness_key);

}  // namespace chartprov::tlog
