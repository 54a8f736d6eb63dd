#include "tlog/vkey.hpp"

#include "tlog/checkpoint.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/note_signer.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

Error bad(const char* why) { return input_error(std::string("vkey: ") + why); }

Result<Bytes> key_id_of(std::string_view name, std::uint8_t type, const crypto::PKey& key) {
  return type == kNoteKeyType ? note_key_id(key, name) : cosignature_key_id(key, name);
}

}  // namespace

Result<VerifierKey> parse_vkey(std::string_view text) {
  const auto first = text.find('+');
  const auto second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) {  // (base64 may hold '+' itself)
    return bad("not <name>+<key id>+<key>");
  }
  VerifierKey vkey;
  vkey.name = std::string(text.substr(0, first));
  if (!is_note_name(vkey.name)) return bad("a name is not empty and has no space, '+' or control character");
  const std::string_view hex = text.substr(first + 1, second - first - 1);
  auto id = hex_decode(hex);
  if (hex.size() != 8 || !id.ok()) return bad("a key id is 8 hex digits");
  auto material = base64_decode(text.substr(second + 1));
  if (!material.ok() || material->size() != 33) return bad("the key is not base64 of a type byte and 32 bytes");
  vkey.type = (*material)[0];
  if (vkey.type != kNoteKeyType && vkey.type != kCosignatureKeyType) {
    return bad("a key type other than 0x01 (log) and 0x04 (witness)");
  }
  auto key = crypto::raw_public_key("ED25519", ByteView(material->data() + 1, 32));
  if (!key.ok()) return bad("the key is not an Ed25519 key");
  vkey.key = std::move(*key);
  TRY(vkey.key_id, key_id_of(vkey.name, vkey.type, vkey.key));
  if (vkey.key_id != *id) return bad("the key id does not match the key");
  return vkey;
}

Result<std::string> format_vkey(std::string_view name, std::uint8_t type, const crypto::PKey& key) {
  if (!is_note_name(name)) return bad("a name is not empty and has no space, '+' or control character");
  if (type != kNoteKeyType && type != kCosignatureKeyType) return bad("a key type other than 0x01 and 0x04");
  if (crypto::key_type(key) != crypto::KeyType::kEd25519) return bad("vkeys here are Ed25519");
  TRY(const Bytes id, key_id_of(name, type, key));
  TRY(const Bytes raw, crypto::raw_public_bytes(key));
  Bytes material{type};
  material.insert(material.end(), raw.begin(), raw.end());
  return std::string(name) + "+" + hex_encode(id) + "+" + base64_encode(material);
}

}  // namespace chartprov::tlog
