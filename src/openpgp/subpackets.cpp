#include "openpgp/subpackets.hpp"

#include <string>

#include "openpgp/byte_reader.hpp"

namespace chartprov::openpgp {
namespace {

// Subpackets whose meaning we either enforce or know to be advisory, so a
// critical bit on them is no reason to reject the signature.
bool understood(std::uint8_t type) {
  switch (type) {
    case subpacket::kCreationTime:
    case subpacket::kSignatureExpiration:
    case subpacket::kKeyExpiration:
    case subpacket::kPreferredSymmetric:
    case subpacket::kIssuerKeyId:
    case subpacket::kPreferredHash:
    case subpacket::kPreferredCompression:
    case subpacket::kKeyServerPreferences:
    case subpacket::kPrimaryUserId:
    case subpacket::kKeyFlags:
    case subpacket::kFeatures:
    case subpacket::kIssuerFingerprint: return true;
    default: return false;  // including notations: we know no notation names
  }
}

std::uint32_t be32(ByteView b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

Error malformed(std::uint8_t type, const char* what) {
  return input_error("malformed signature subpacket " + std::to_string(type) + " (" + what + ")");
}

template <typename T>
Status set_once(std::optional<T>& field, T value, std::uint8_t type) {
  if (field && *field != value) return malformed(type, "conflicting duplicate");
  field = value;
  return ok_status();
}

Result<std::uint32_t> time_value(const Subpacket& sp) {
  if (sp.body.size() != 4) return malformed(sp.type, "not 4 octets");
  return be32(sp.body);
}

Status decode_notation(const Subpacket& sp, Signature& sig) {
  ByteReader in(sp.body);
  std::uint32_t flags = 0;
  std::uint16_t name_len = 0;
  std::uint16_t value_len = 0;
  ByteView name;
  ByteView value;
  if (!in.u32(flags) || !in.u16(name_len) || !in.u16(value_len) || !in.take(name_len, name) ||
      !in.take(value_len, value) || !in.empty()) {
    return malformed(sp.type, "lengths do not add up");
  }
  Notation n;
  n.name = std::string(as_chars(name));
  n.value.assign(value.begin(), value.end());
  n.human_readable = (flags & 0x80000000u) != 0;
  sig.notations.push_back(std::move(n));
  return ok_status();
}

}  // namespace

Result<std::vector<Subpacket>> read_subpackets(ByteView area) {
  std::vector<Subpacket> out;
  ByteReader in(area);
  while (!in.empty()) {
    std::uint8_t first = 0;
    in.u8(first);
    std::size_t length = first;
    if (first >= 192 && first < 255) {
      std::uint8_t second = 0;
      if (!in.u8(second)) return input_error("truncated signature subpacket length");
      length = ((std::size_t{first} - 192) << 8) + second + 192;
    } else if (first == 255) {
      std::uint32_t l = 0;
      if (!in.u32(l)) return input_error("truncated signature subpacket length");
      length = l;
    }
    ByteView body;
    if (length == 0) return input_error("signature subpacket of length 0");
    if (!in.take(length, body)) return input_error("signature subpacket runs past the end of its area");
    out.push_back({static_cast<std::uint8_t>(body[0] & 0x7f), (body[0] & 0x80) != 0, body.subspan(1)});
  }
  return out;
}

Status decode_subpackets(ByteView area, bool hashed, Signature& sig) {
  TRY(std::vector<Subpacket> list, read_subpackets(area));
  for (const Subpacket& sp : list) {
    if (sp.critical && !understood(sp.type)) sig.has_unknown_critical = true;
    switch (sp.type) {
      case subpacket::kIssuerKeyId: {
        if (sp.body.size() != 8) return malformed(sp.type, "not 8 octets");
        std::uint64_t id = 0;
        for (const auto b : sp.body) id = (id << 8) | b;
        TRY_STATUS(set_once(sig.issuer_key_id, id, sp.type));
        break;
      }
      case subpacket::kIssuerFingerprint: {
        if (sp.body.empty()) return malformed(sp.type, "empty");
        const std::uint8_t version = sp.body[0];
        const std::size_t expected = version == 4 ? 20 : (version == 5 || version == 6) ? 32 : 0;
        if (expected == 0 || sp.body.size() != expected + 1) return malformed(sp.type, "bad length for its version");
        const Bytes fpr(sp.body.begin() + 1, sp.body.end());
        if (!sig.issuer_fingerprint.empty() && sig.issuer_fingerprint != fpr) {
          return malformed(sp.type, "conflicting duplicate");
        }
        sig.issuer_fingerprint = fpr;
        break;
      }
      default: break;
    }
    if (!hashed) continue;  // anyone can change the unhashed area: take nothing else from it
    switch (sp.type) {
      case subpacket::kCreationTime: {
        TRY(std::uint32_t t, time_value(sp));
        if (sig.created) return malformed(sp.type, "duplicate creation time");
        sig.created = t;
        break;
      }
      case subpacket::kSignatureExpiration: {
        TRY(std::uint32_t t, time_value(sp));
        TRY_STATUS(set_once(sig.expires_after, t, sp.type));
        break;
      }
      case subpacket::kKeyExpiration: {
        TRY(std::uint32_t t, time_value(sp));
        TRY_STATUS(set_once(sig.key_expires_after, t, sp.type));
        break;
      }
      case subpacket::kKeyFlags:
        if (!sp.body.empty()) TRY_STATUS(set_once(sig.key_flags, sp.body[0], sp.type));
        break;
      case subpacket::kNotation:
        if (!sp.critical) TRY_STATUS(decode_notation(sp, sig));
        break;
      default: break;
    }
  }
  return ok_status();
}

void append_subpacket(Bytes& out, std::uint8_t type, ByteView body, bool critical) {
  const std::size_t length = body.size() + 1;
  if (length < 192) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length < 16320) {
    const std::size_t v = length - 192;
    out.push_back(static_cast<std::uint8_t>((v >> 8) + 192));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
  } else {
    out.push_back(0xff);
    append_u32(out, static_cast<std::uint32_t>(length));
  }
  out.push_back(static_cast<std::uint8_t>(type | (critical ? 0x80 : 0)));
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace chartprov::openpgp
