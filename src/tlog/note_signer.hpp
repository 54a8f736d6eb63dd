#pragma once
// Writing C2SP checkpoints and signing them as C2SP signed notes with a log's
// Ed25519 key (signature type 0x01), as checkpoint.hpp reads them back:
//
//   <origin>\n<size>\n<base64 root>\n            the body
//   \n
//   \u2014 <origin> <base64(key id || signature)>\n
#include <cstdint>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::tlog {

// Whether `name` may name a note key: not empty, no space, '+' or control
// character (C2SP signed-note).
bool is_note_name(std::string_view name);

// "\u2014 <name> <base64(key_id || signature)>\n": one signature line.
std::string signature_line(std::string_view name, ByteView key_id, ByteView signature);

// The body of a checkpoint (no extension lines). Refusals (input errors,
// "checkpoint: ..."): an empty origin, one with a control character or a
// space at either end; a root that is not 32 bytes.
Result<std::string> checkpoint_body(std::string_view origin, std::uint64_t size, ByteView root);

// A log's signing key under its key name (the origin).
struct NoteKey {
  std::string name;
  crypto::PKey key;  // Ed25519 private key
  Bytes key_id;      // note_key_id(key, name): 4 bytes
};

// Refusals (input errors): a key that is not an Ed25519 private key ("log
// keys are Ed25519"); a name that is empty, has a space, a '+' or a control
// character ("a note key name ...").
Result<NoteKey> make_note_key(crypto::PKey key, std::string name);

// body + "\n" + the key's signature line. Refusals: a body that does not end
// in a newline or holds an empty line; the signer's errors.
Result<std::string> sign_note(std::string_view body, const NoteKey& key);

}  // namespace chartprov::tlog
