#include "app/keys/keygen.hpp"

#include <system_error>

#include "infra/openssl/key_file.hpp"
#include "infra/openssl/pkey.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/cert.hpp"
#include "openpgp/openssl_signer.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

std::filesystem::path with_suffix(const std::filesystem::path& prefix, const char* suffix) {
  return std::filesystem::path(prefix.string() + suffix);
}

}  // namespace

Status validate_user_id(std::string_view uid) {
  if (uid.empty()) return usage_error("--uid is required, e.g. --uid \"CI Signer <ci@example.com>\"");
  if (uid.size() > 1024) return usage_error("user id longer than 1024 bytes");
  for (const char c : uid) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return usage_error("user id must be one line of text");
  }
  return ok_status();
}

Result<std::optional<std::uint32_t>> parse_duration(std::string_view text) {
  if (text == "never" || text == "0") return std::optional<std::uint32_t>{};
  if (text.size() < 2) return usage_error("duration '" + std::string(text) + "': use e.g. 2y, 18m, 90d, never");
  std::uint64_t n = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9' || n > 100000) {
      return usage_error("duration '" + std::string(text) + "': use e.g. 2y, 18m, 90d, never");
    }
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  std::uint64_t unit = 0;
  switch (text.back()) {
    case 'y': unit = 365ull * 86400; break;
    case 'm': unit = 30ull * 86400; break;
    case 'd': unit = 86400; break;
    case 'h': unit = 3600; break;
    case 's': unit = 1; break;
    default: return usage_error("duration '" + std::string(text) + "': unit must be y, m, d, h or s");
  }
  const std::uint64_t seconds = n * unit;
  if (seconds == 0 || seconds > 0xffffffffull) return usage_error("duration '" + std::string(text) + "' out of range");
  return std::optional<std::uint32_t>{static_cast<std::uint32_t>(seconds)};
}

Result<KeyGenResult> generate_signing_key(const KeyGenRequest& req) {
  TRY_STATUS(validate_user_id(req.user_id));
  if (req.output_prefix.empty()) return usage_error("--output PREFIX is required");
  KeyGenResult out;
  out.key_file = with_suffix(req.output_prefix, ".key");
  out.public_binary = with_suffix(req.output_prefix, ".pub.gpg");
  out.public_armored = with_suffix(req.output_prefix, ".pub.asc");
  if (!req.overwrite) TRY_STATUS(refuse_to_overwrite({out.key_file, out.public_binary, out.public_armored}));
  const auto created = static_cast<std::uint32_t>(now_or(req.now));

  TRY(crypto::PKey key, crypto::generate_key(req.algorithm));
  TRY(SecretBytes key_file,
      crypto::write_private_key_file(key, crypto::KeyFileInfo{created, req.user_id}, req.passphrase));
  TRY(auto signer, openpgp::OpenSslSigner::create(std::move(key), created));
  TRY(Bytes cert, openpgp::build_certificate(*signer, req.user_id, created, req.expires_after));
  const std::string armored = openpgp::armor(cert, "PUBLIC KEY BLOCK");

  // Public files first: if the private key cannot be written, remove them so
  // nothing half-made is left behind.
  TRY_STATUS(atomic_write(out.public_binary, ByteView(cert), 0644));
  if (auto s = atomic_write(out.public_armored, armored, 0644); !s.ok()) {
    std::filesystem::remove(out.public_binary);
    return s.error();
  }
  if (auto s = atomic_write(out.key_file, ByteView(key_file.bytes()), 0600); !s.ok()) {
    std::filesystem::remove(out.public_binary);
    std::filesystem::remove(out.public_armored);
    return s.error();
  }
  out.fingerprint = hex_encode_upper(signer->public_key().fingerprint);
  out.algorithm = openpgp::algorithm_label(signer->public_key());
  return out;
}

}  // namespace chartprov::app
