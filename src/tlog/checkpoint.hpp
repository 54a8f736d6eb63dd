#pragma once
// Transparency-log checkpoints (C2SP tlog-checkpoint, a C2SP signed note), as
// Rekor v1 and v2 write them in an inclusion proof:
// "<origin>\n<size>\n<base64 root>\n[extension lines]\n" (the signed text),
// a blank line, then signature lines "\u2014 <name> <base64(4-byte key id || signature)>\n".
// Rekor v1: origin "rekor.sigstore.dev - 2605736670972794746", signer name
// "rekor.sigstore.dev", ECDSA. Rekor v2: origin and signer name are the log's
// host ("log2025-1.rekor.sigstore.dev"), Ed25519; witnesses may add their own
// cosignature lines.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

inline constexpr std::size_t kMaxCheckpoint = 64u << 10;
inline constexpr std::size_t kMaxCheckpointSignatures = 64;  // C2SP: accept at least 16

struct Checkpoint {
  std::string body;  // the signed text, final newline included
  std::string origin;
  std::uint64_t size = 0;
  Bytes root_hash;
  struct Signature {
    std::string name;
    Bytes key_hint;  // 4 bytes
    Bytes signature;
  };
  std::vector<Signature> signatures;
};

// Refusals (input errors, "checkpoint: ..."): larger than kMaxCheckpoint; an
// ASCII control character other than newline ("a control character"); no blank
// line between text and signatures; fewer than three text lines ("fewer than
// three lines (origin, tree size, root hash)": conformance
// rekor2-checkpoint-missing-{origin,size,root-hash}_fail); an empty origin; a
// tree size that is not a decimal number without leading zeros; a root hash
// that is not 32 bytes of padded base64; no signature line ("no signature
// line": rekor2-checkpoint-missing-log-signature_fail); more than
// kMaxCheckpointSignatures; a signature line that does not start with an em
// dash and a space, has an empty name or one with '+', no single space before
// the signature, or a signature that is not base64 of more than 4 bytes.
Result<Checkpoint> parse_checkpoint(std::string_view envelope);

// The key name a log signs its checkpoints under, read from their origin: a
// Rekor v1 origin "<name> - <decimal tree id>" gives the name before " - ";
// any other origin is the name itself (C2SP: "the log's key name SHOULD match
// the origin line"; Rekor v2).
std::string_view signer_name_of(std::string_view origin);

// The 4-byte key id of a log key under a key name (C2SP signed-note): Ed25519,
// SHA-256(name || 0x0A || 0x01 || 32-byte key)[:4]; ECDSA (Rekor v1, and
// rekor-tiles' ECDSA logs), SHA-256(SPKI)[:4], whatever the name. For both
// Rekor versions it is the first 4 bytes of the log's logId.keyId. Refusal: a
// key of another type ("checkpoint keys are ECDSA or Ed25519"), or one whose
// SPKI cannot be made (key_id.hpp's refusals).
Result<Bytes> note_key_id(const crypto::PKey& log_key, std::string_view name);

// Whether the checkpoint is signed by the log whose key is log_key and whose
// key name is `name`: the signature lines with that name and the key id
// note_key_id(log_key, name) must all verify over the body (ECDSA over its
// SHA-256, Ed25519 over the text), and there must be one. Lines of other names
// or key ids (witness cosignatures, another key) are ignored, as C2SP asks; a
// line of the log's name and key id that does not verify refuses the note
// (C2SP: "clients SHOULD reject the whole note"). The caller names the log: a
// Rekor v2 log by its trusted root's origin (and the checkpoint's origin must
// be that name too), a Rekor v1 log by signer_name_of(cp.origin). False, never
// an error, for anything that does not verify.
bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key, std::string_view name);

// checkpoint_signed_by(cp, log_key, signer_name_of(cp.origin)): the name the
// checkpoint gives itself, bound to the log only through its key.
bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key);

}  // namespace chartprov::tlog
