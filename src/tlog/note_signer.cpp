#include "tlog/note_signer.hpp"

#include <algorithm>

#include "infra/openssl/pk_signature.hpp"
#include "tlog/checkpoint.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

}  // namespace

bool is_note_name(std::string_view name) {
  return !name.empty() && !has_control(name) && name.find(' ') == std::string_view::npos &&
         name.find('+') == std::string_view::npos;
}

Result<std::string> checkpoint_body(std::string_view origin, std::uint64_t size, ByteView root) {
  if (origin.empty() || has_control(origin) || origin.front() == ' ' || origin.back() == ' ') {
    return input_error("checkpoint: an origin is one line of text, not empty, without a space at either end");
  }
  if (root.size() != 32) return input_error("checkpoint: a root hash is 32 bytes");
  std::string body(origin);
  body += '\n';
  body += std::to_string(size);
  body += '\n';
  body += base64_encode(root);
  body += '\n';
  return body;
}

Result<NoteKey> make_note_key(crypto::PKey key, std::string name) {
  if (crypto::key_type(key) != crypto::KeyType::kEd25519 || !crypto::has_private_key(key)) {
    return input_error("log keys are Ed25519 private keys");
  }
  if (!is_note_name(name))
    return input_error("a note key name is not empty and has no space, '+' or control character");
  TRY(Bytes id, note_key_id(key, name));
  return NoteKey{std::move(name), std::move(key), std::move(id)};
}

std::string signature_line(std::string_view name, ByteView key_id, ByteView signature) {
  Bytes blob(key_id.begin(), key_id.end());
  blob.insert(blob.end(), signature.begin(), signature.end());
  std::string line = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
  line += name;
  line += ' ';
  line += base64_encode(blob);
  line += '\n';
  return line;
}

Result<std::string> sign_note(std::string_view body, const NoteKey& key) {
  if (body.empty() || body.back() != '\n' || body.front() == '\n' || body.find("\n\n") != std::string_view::npos) {
    return input_error("checkpoint: a note body is lines that each end in a newline, none of them empty");
  }
  TRY(const Bytes sig, crypto::sign_eddsa(key.key, as_bytes(body)));
  const std::string line = signature_line(key.name, key.key_id, sig);
  std::string note(body);
  note += '\n';
  note += line;
  return note;
}

}  // namespace chartprov::tlog
