#include "openpgp/cert.hpp"

#include "openpgp/byte_reader.hpp"
#include "openpgp/packet.hpp"
#include "openpgp/subpackets.hpp"

namespace chartprov::openpgp {
namespace {

constexpr std::uint8_t kPositiveCertification = 0x13;
constexpr std::uint8_t kFlagCertify = 0x01;
constexpr std::uint8_t kFlagSign = 0x02;
constexpr std::uint8_t kFeatureSeipdV1 = 0x01;
constexpr std::uint8_t kAes256 = 9;
constexpr std::uint8_t kAes128 = 7;
constexpr std::size_t kMaxUserId = 4096;

Bytes u32_bytes(std::uint32_t v) {
  Bytes out;
  append_u32(out, v);
  return out;
}

}  // namespace

Bytes certification_data(const PublicKey& key, std::string_view user_id) {
  Bytes data;
  data.reserve(key.body.size() + user_id.size() + 8);
  data.push_back(0x99);
  append_u16(data, static_cast<std::uint32_t>(key.body.size()));
  data.insert(data.end(), key.body.begin(), key.body.end());
  data.push_back(0xb4);
  append_u32(data, static_cast<std::uint32_t>(user_id.size()));
  data.insert(data.end(), user_id.begin(), user_id.end());
  return data;
}

Result<Bytes> build_certificate(const DigestSigner& signer, std::string_view user_id, std::uint32_t created,
                                std::optional<std::uint32_t> expires_after) {
  const PublicKey& key = signer.public_key();
  if (user_id.empty()) return usage_error("a certificate needs a user ID");
  if (user_id.size() > kMaxUserId) return usage_error("user ID is too long");
  if (user_id.find_first_of("\r\n") != std::string_view::npos) return usage_error("user ID must be one line");
  if (created < key.created) return usage_error("certificate time is before the key's creation time");
  if (expires_after && *expires_after == 0) return usage_error("key lifetime must be positive");

  Bytes hashed;
  append_subpacket(hashed, subpacket::kCreationTime, u32_bytes(created));
  append_subpacket(hashed, subpacket::kKeyFlags, Bytes{kFlagCertify | kFlagSign});
  if (expires_after) append_subpacket(hashed, subpacket::kKeyExpiration, u32_bytes(*expires_after));
  append_subpacket(hashed, subpacket::kPreferredHash,
                   Bytes{static_cast<std::uint8_t>(HashAlgo::kSha512), static_cast<std::uint8_t>(HashAlgo::kSha256),
                         static_cast<std::uint8_t>(HashAlgo::kSha384)});
  append_subpacket(hashed, subpacket::kPreferredSymmetric, Bytes{kAes256, kAes128});
  append_subpacket(hashed, subpacket::kFeatures, Bytes{kFeatureSeipdV1});
  Bytes fpr = {4};
  fpr.insert(fpr.end(), key.fingerprint.begin(), key.fingerprint.end());
  append_subpacket(hashed, subpacket::kIssuerFingerprint, fpr);
  Bytes key_id = u32_bytes(static_cast<std::uint32_t>(key.key_id >> 32));
  append_u32(key_id, static_cast<std::uint32_t>(key.key_id & 0xffffffffu));
  append_subpacket(hashed, subpacket::kIssuerKeyId, key_id);

  TRY(Bytes self_sig, make_signature_packet_with_area(signer, kPositiveCertification, HashAlgo::kSha512, hashed,
                                                      certification_data(key, user_id)));
  Bytes cert = make_packet(static_cast<std::uint8_t>(PacketTag::kPublicKey), key.body);
  const Bytes uid = make_packet(static_cast<std::uint8_t>(PacketTag::kUserId), as_bytes(user_id));
  cert.insert(cert.end(), uid.begin(), uid.end());
  cert.insert(cert.end(), self_sig.begin(), self_sig.end());
  return cert;
}

Result<LeadingCertificate> leading_certificate(const std::vector<Packet>& packets) {
  if (packets.empty() || packets.front().tag != static_cast<std::uint8_t>(PacketTag::kPublicKey)) {
    return input_error("OpenPGP data that does not start with a primary public key");
  }
  LeadingCertificate out;
  TRY(out.primary, parse_public_key(packets.front().body));
  std::size_t end = 1;
  while (end < packets.size() && packets[end].tag != static_cast<std::uint8_t>(PacketTag::kPublicKey)) ++end;
  const std::uint8_t* first = packets.front().whole.data();
  const std::uint8_t* last = packets[end - 1].whole.data() + packets[end - 1].whole.size();
  out.bytes = ByteView(first, static_cast<std::size_t>(last - first));
  out.more = end < packets.size();
  return out;
}

}  // namespace chartprov::openpgp
