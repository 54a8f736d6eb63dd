#include "tlog/checkpoint.hpp"

#include <algorithm>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pk_signature.hpp"
#include "util/byte_size.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) {
      out.push_back(text);
      break;
    }
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool is_decimal(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<Checkpoint::Signature> parse_signature_line(std::string_view line) {
  const auto bad = [](const char* why) { return input_error(std::string("checkpoint: ") + why); };
  constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
  if (line.substr(0, kDash.size()) != kDash) return bad("a signature line does not start with an em dash");
  const std::string_view rest = line.substr(kDash.size());
  const auto space = rest.find(' ');
  if (space == std::string_view::npos || space == 0) return bad("malformed signature line");
  const std::string_view name = rest.substr(0, space);
  const std::string_view b64 = rest.substr(space + 1);
  if (name.find('+') != std::string_view::npos) return bad("a key name with '+'");
  if (b64.empty() || b64.find(' ') != std::string_view::npos) return bad("malformed signature line");
  auto blob = base64_decode(b64);
  if (!blob || blob->size() < 5) return bad("signature is not base64");
  return Checkpoint::Signature{std::string(name), Bytes(blob->begin(), blob->begin() + 4),
                               Bytes(blob->begin() + 4, blob->end())};
}

bool verifies(const Checkpoint& cp, const crypto::PKey& log_key, const Checkpoint::Signature& s) {
  if (crypto::key_type(log_key) == crypto::KeyType::kEd25519) {
    return crypto::verify_eddsa(log_key, as_bytes(cp.body), s.signature);
  }
  const Bytes digest = crypto::sha256(as_bytes(cp.body));
  const auto rs = crypto::decode_dsa_signature_der(s.signature);
  return rs.ok() && crypto::verify_dsa_or_ecdsa(log_key, digest, rs->r, rs->s);
}

}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view env) {
  const auto bad = [](const std::string& why) { return input_error("checkpoint: " + why); };
  if (env.size() > kMaxCheckpoint) return bad("larger than " + byte_size_text(kMaxCheckpoint));
  if (std::any_of(env.begin(), env.end(), [](char c) { return c >= 0 && c < 0x20 && c != '\n'; }))
    return bad("a control character");
  const auto split = env.find("\n\n");
  if (split == std::string_view::npos) return bad("no blank line between text and signatures");
  Checkpoint cp;
  cp.body = std::string(env.substr(0, split + 1));
  const auto body_lines = lines_of(env.substr(0, split));
  if (body_lines.size() < 3) return bad("fewer than three lines (origin, tree size, root hash)");
  cp.origin = std::string(body_lines[0]);
  if (cp.origin.empty()) return bad("empty origin");
  const std::string_view size = body_lines[1];
  if (!is_decimal(size) || size.size() > 19 || (size.size() > 1 && size[0] == '0')) {
    return bad("tree size is not a number");
  }
  cp.size = std::stoull(std::string(size));
  auto root = base64_decode(body_lines[2]);
  if (body_lines[2].size() != 44 || !root || root->size() != 32) return bad("root hash is not 32 bytes of base64");
  cp.root_hash = std::move(*root);
  const std::string_view sigs = env.substr(split + 2);
  if (sigs.empty()) return bad("no signature line");
  if (sigs.back() != '\n') return bad("signature lines must end with a newline");
  const auto lines = lines_of(sigs);
  if (lines.size() > kMaxCheckpointSignatures)
    return bad("more than " + std::to_string(kMaxCheckpointSignatures) + " signature lines");
  for (const auto line : lines) {
    TRY(auto s, parse_signature_line(line));
    cp.signatures.push_back(std::move(s));
  }
  return cp;
}

std::string_view signer_name_of(std::string_view origin) {
  constexpr std::string_view kSep = " - ";
  const auto at = origin.rfind(kSep);
  if (at == std::string_view::npos || at == 0 || !is_decimal(origin.substr(at + kSep.size()))) return origin;
  return origin.substr(0, at);
}

Result<Bytes> note_key_id(const crypto::PKey& log_key, std::string_view name) {
  switch (crypto::key_type(log_key)) {
    case crypto::KeyType::kEd25519: {
      TRY(const Bytes raw, crypto::raw_public_bytes(log_key));
      Bytes in(name.begin(), name.end());
      in.push_back(0x0A);
      in.push_back(0x01);  // C2SP signature type: Ed25519
      in.insert(in.end(), raw.begin(), raw.end());
      Bytes id = crypto::sha256(in);
      id.resize(4);
      return id;
    }
    case crypto::KeyType::kEc: {
      TRY(Bytes id, crypto::spki_key_id_bytes(log_key));
      id.resize(4);
      return id;
    }
    default: return input_error("checkpoint keys are ECDSA or Ed25519");
  }
}

bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key, std::string_view name) {
  const auto id = note_key_id(log_key, name);
  if (!id.ok()) return false;
  bool verified = false;
  for (const auto& s : cp.signatures) {
    if (s.name != name || s.key_hint != *id) continue;
    if (!verifies(cp, log_key, s)) return false;
    verified = true;
  }
  return verified;
}

bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key) {
  return checkpoint_signed_by(cp, log_key, signer_name_of(cp.origin));
}

}  // namespace chartprov::tlog
