#include "tlog/cosignature.hpp"

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "tlog/note_signer.hpp"

namespace chartprov::tlog {
namespace {

constexpr std::size_t kTimestampSize = 8;
constexpr std::size_t kEd25519SignatureSize = 64;

std::string cosigned_message(std::string_view body, std::uint64_t timestamp) {
  std::string m = "cosignature/v1\ntime ";
  m += std::to_string(timestamp);
  m += '\n';
  m += body;
  return m;
}

}  // namespace

Result<Bytes> cosignature_key_id(const crypto::PKey& witness_key, std::string_view name) {
  if (crypto::key_type(witness_key) != crypto::KeyType::kEd25519) return input_error("witness keys are Ed25519");
  TRY(const Bytes raw, crypto::raw_public_bytes(witness_key));
  Bytes in(name.begin(), name.end());
  in.push_back(0x0A);
  in.push_back(0x04);  // C2SP signature type: timestamped Ed25519 cosignature
  in.insert(in.end(), raw.begin(), raw.end());
  Bytes id = crypto::sha256(in);
  id.resize(4);
  return id;
}

Result<std::string> sign_cosignature(std::string_view body, std::string_view name, const crypto::PKey& witness_key,
                                     std::uint64_t timestamp) {
  if (!is_note_name(name))
    return input_error("a note key name is not empty and has no space, '+' or control character");
  TRY(const Bytes id, cosignature_key_id(witness_key, name));
  TRY(const Bytes sig, crypto::sign_eddsa(witness_key, as_bytes(cosigned_message(body, timestamp))));
  Bytes blob;
  for (int shift = 56; shift >= 0; shift -= 8) blob.push_back(static_cast<std::uint8_t>(timestamp >> shift));
  blob.insert(blob.end(), sig.begin(), sig.end());
  return signature_line(name, id, blob);
}

std::optional<std::uint64_t> cosigned_at(const Checkpoint& cp, std::string_view name, const crypto::PKey& witness_key) {
  const auto id = cosignature_key_id(witness_key, name);
  if (!id.ok()) return std::nullopt;
  for (const auto& s : cp.signatures) {
    if (s.name != name || s.key_hint != *id || s.signature.size() != kTimestampSize + kEd25519SignatureSize) continue;
    std::uint64_t timestamp = 0;
    for (std::size_t i = 0; i < kTimestampSize; ++i) timestamp = (timestamp << 8) | s.signature[i];
    if (timestamp >> 63 != 0) continue;  // C2SP: a timestamp MUST NOT exceed 2^63 - 1
    const ByteView sig(s.signature.data() + kTimestampSize, kEd25519SignatureSize);
    if (crypto::verify_eddsa(witness_key, as_bytes(cosigned_message(cp.body, timestamp)), sig)) return timestamp;
  }
  return std::nullopt;
}

}  // namespace chartprov::tlog
