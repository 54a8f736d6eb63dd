#include "app/keys/key_backup.hpp"

#include "infra/openssl/key_id.hpp"
#include "infra/openssl/pkcs8.hpp"
#include "infra/openssl/random.hpp"
#include "keys/key_share.hpp"
#include "util/encoding.hpp"

namespace chartprov::app {

Result<std::vector<std::string>> backup_key(const crypto::PKey& key, const crypto::KeyFileInfo& info,
                                            unsigned threshold, unsigned shares) {
  if (threshold < 2) {
    return usage_error("--threshold must be at least 2 (with 1, every share is the whole key)");
  }
  TRY(const Bytes key_id, crypto::spki_key_id_bytes(key));
  TRY(const SecretBytes der, crypto::private_key_info_der(key));
  if (der.bytes().size() > keys::kMaxSharedSecret) return usage_error("the key is too large to split");
  TRY(auto pieces, keys::shamir_split(der.bytes(), threshold, shares));
  Bytes split_id(16);
  TRY_STATUS(crypto::random_fill(split_id));

  std::vector<std::string> out;
  out.reserve(pieces.size());
  for (auto& piece : pieces) {
    keys::KeyShare share;
    share.threshold = static_cast<std::uint8_t>(threshold);
    share.total = static_cast<std::uint8_t>(shares);
    share.split_id = split_id;
    share.key_id = key_id;
    share.openpgp_created = info.created;
    share.user_id = info.user_id;
    share.share = std::move(piece);
    out.push_back(keys::encode_key_share(share));
  }
  return out;
}

Result<RestoredKey> restore_key(const std::vector<std::string>& share_texts) {
  if (share_texts.empty()) return usage_error("no shares given");
  std::vector<keys::KeyShare> shares;
  shares.reserve(share_texts.size());
  for (std::size_t i = 0; i < share_texts.size(); ++i) {
    auto share = keys::decode_key_share(share_texts[i]);
    if (!share) return share.error().with_context("share #" + std::to_string(i + 1));
    shares.push_back(std::move(*share));
  }
  const auto& first = shares.front();
  for (const auto& s : shares) {
    if (s.key_id != first.key_id) {
      return input_error("the shares belong to different keys (" + hex_encode(first.key_id) + " and " +
                         hex_encode(s.key_id) + ")");
    }
    if (s.split_id != first.split_id || s.threshold != first.threshold || s.total != first.total) {
      return input_error("the shares come from different backups of key " + hex_encode(first.key_id) +
                         "; use shares of one backup");
    }
  }
  std::vector<const keys::ShamirShare*> pieces;
  for (const auto& s : shares) pieces.push_back(&s.share);
  if (pieces.size() < first.threshold) {
    return input_error("need " + std::to_string(first.threshold) + " shares of this backup, got " +
                       std::to_string(pieces.size()));
  }
  TRY(const SecretBytes der, keys::shamir_combine(pieces));
  auto key = crypto::parse_private_key_info_der(der.bytes());
  if (!key) return input_error("the shares do not rebuild a private key (a share is wrong)");
  TRY(const Bytes rebuilt_id, crypto::spki_key_id_bytes(*key));
  if (rebuilt_id != first.key_id) {
    return input_error("the rebuilt key is not key " + hex_encode(first.key_id) + " (a share is wrong)");
  }
  RestoredKey out;
  out.key = std::move(*key);
  out.info.created = first.openpgp_created;
  out.info.user_id = first.user_id;
  out.key_id = hex_encode(first.key_id);
  return out;
}

}  // namespace chartprov::app
