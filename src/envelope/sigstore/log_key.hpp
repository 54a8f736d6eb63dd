#pragma once
// The public key of a transparency log or a certificate transparency log as
// a trusted root gives it (protobuf-specs PublicKey): DER bytes read the way
// their keyDetails says, and the key checked to be of that algorithm, as
// sigstore-go's ParseTransparencyLogs reads them.
#include <string_view>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

struct LogKey {
  crypto::PKey key;
  Bytes spki;  // DER SubjectPublicKeyInfo: what RFC 6962 log ids hash (PKCS#1 keys wrapped in one)
};

// keyDetails and what raw holds:
//   PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384, PKIX_ECDSA_P521_SHA_512: an SPKI of an EC key on that curve;
//   PKIX_ED25519: an SPKI of an Ed25519 key;
//   PKIX_RSA_PKCS1V15_{2048,3072,4096}_SHA256: an SPKI of an RSA key of that size;
//   PKCS1_RSA_PKCS1V5 (deprecated; Sigstore staging's first CT log): a DER PKCS#1 RSAPublicKey.
// Reads only its arguments. Refusals: another keyDetails ("unsupported keyDetails \"X\""); bytes that
// are not one such DER key, trailing bytes included ("the key does not parse as keyDetails X says"); a
// key of another algorithm, curve or size ("the key is not what keyDetails X says").
Result<LogKey> parse_log_key(std::string_view key_details, ByteView raw);

// The PKIX keyDetails that names the key (the inverse of parse_log_key, PKCS#1 left out): the curve of
// an EC key, PKIX_ED25519, the size of an RSA key. Refusal: a key none names ("no Sigstore keyDetails
// names this key").
Result<std::string> key_details_of(const crypto::PKey& key);

}  // namespace chartprov::sigstore
