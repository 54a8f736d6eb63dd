#include "infra/openssl/spki.hpp"

#include <openssl/x509.h>

#include "util/encoding.hpp"

namespace chartprov::crypto {

Result<PKey> parse_spki_der(ByteView der) {
  const unsigned char* p = der.data();
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (key == nullptr) return input_error("not a DER SubjectPublicKeyInfo");
  PKey owned(key);
  if (p != der.data() + der.size()) return input_error("trailing bytes after the SubjectPublicKeyInfo");
  return owned;
}

Result<PKey> parse_public_key_pem(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
  constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";
  const auto begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return input_error("no '-----BEGIN PUBLIC KEY-----' block");
  const auto end = pem.find(kEnd, begin);
  if (end == std::string_view::npos) return input_error("the PUBLIC KEY block has no END line (truncated?)");
  std::string b64;
  for (const char c : pem.substr(begin + kBegin.size(), end - begin - kBegin.size())) {
    if (c != '\n' && c != '\r') b64 += c;
  }
  auto der = base64_decode(b64);
  if (!der) return input_error("the PUBLIC KEY block is not base64");
  return parse_spki_der(*der);
}

Result<std::string> public_key_pem(const PKey& key) {
  TRY(const Bytes der, spki_der(key));
  const std::string b64 = base64_encode(der);
  std::string out = "-----BEGIN PUBLIC KEY-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  out += "-----END PUBLIC KEY-----\n";
  return out;
}

}  // namespace chartprov::crypto
