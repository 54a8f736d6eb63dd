#include "tlog/checkpoint.hpp"

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

}  // namespace

Result<Checkpoint> parse_checkpoint(std::string_view env) {
  const auto bad = [](const std::string& why) { return input_error("checkpoint: " + why); };
  if (env.size() > kMaxCheckpoint) return bad("larger than " + byte_size_text(kMaxCheckpoint));
  const auto split = env.find("\n\n");
  if (split == std::string_view::npos) return bad("no blank line between text and signatures");
  Checkpoint cp;
  cp.body = std::string(env.substr(0, split + 1));
  const auto body_lines = lines_of(env.substr(0, split));
  if (body_lines.size() < 3) return bad("fewer than three lines");
  cp.origin = std::string(body_lines[0]);
  if (cp.origin.empty()) return bad("empty origin");
  const std::string_view size = body_lines[1];
  if (size.empty() || size.size() > 19 || size.find_first_not_of("0123456789") != std::string_view::npos ||
      (size.size() > 1 && size[0] == '0')) {
    return bad("tree size is not a number");
  }
  cp.size = std::stoull(std::string(size));
  auto root = base64_decode(body_lines[2]);
  if (!root || root->size() != 32) return bad("root hash is not 32 bytes of base64");
  cp.root_hash = std::move(*root);
  std::string_view sigs = env.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return bad("signature lines must end with a newline");
  constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, space
  for (const auto line : lines_of(sigs)) {
    if (line.substr(0, kDash.size()) != kDash) return bad("a signature line does not start with an em dash");
    const std::string_view rest = line.substr(kDash.size());
    const auto space = rest.rfind(' ');
    if (space == std::string_view::npos || space == 0) return bad("malformed signature line");
    auto blob = base64_decode(rest.substr(space + 1));
    if (!blob || blob->size() < 5) return bad("signature is not base64");
    cp.signatures.push_back({std::string(rest.substr(0, space)), Bytes(blob->begin(), blob->begin() + 4),
                             Bytes(blob->begin() + 4, blob->end())});
  }
  if (cp.signatures.empty()) return bad("no signature");
  return cp;
}

bool checkpoint_signed_by(const Checkpoint& cp, const crypto::PKey& log_key) {
  const auto key_id = crypto::spki_key_id_bytes(log_key);
  if (!key_id.ok()) return false;
  for (const auto& s : cp.signatures) {
    if (crypto::key_type(log_key) == crypto::KeyType::kEd25519) {
      const auto raw = crypto::raw_public_bytes(log_key);
      if (!raw.ok()) return false;
      Bytes in(s.name.begin(), s.name.end());
      in.push_back(0x0A);
      in.push_back(0x01);
      in.insert(in.end(), raw->begin(), raw->end());
      const Bytes id = crypto::sha256(in);
      if (!std::equal(s.key_hint.begin(), s.key_hint.end(), id.begin())) continue;
      if (crypto::verify_eddsa(log_key, as_bytes(cp.body), s.signature)) return true;
      continue;
    }
    if (!std::equal(s.key_hint.begin(), s.key_hint.end(), key_id->begin())) continue;
    const Bytes digest = crypto::sha256(as_bytes(cp.body));
    const auto rs = crypto::decode_dsa_signature_der(s.signature);
    if (rs.ok() && crypto::verify_dsa_or_ecdsa(log_key, digest, rs->r, rs->s)) return true;
  }
  return false;
}

}  // namespace chartprov::tlog
