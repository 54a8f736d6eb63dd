#include "openpgp/hash_algo.hpp"

namespace chartprov::openpgp {

std::optional<crypto::DigestAlg> digest_alg(std::uint8_t hash_algo) {
  switch (static_cast<HashAlgo>(hash_algo)) {
    case HashAlgo::kMd5: return crypto::DigestAlg::kMd5;
    case HashAlgo::kSha1: return crypto::DigestAlg::kSha1;
    case HashAlgo::kRipemd160: return crypto::DigestAlg::kRipemd160;
    case HashAlgo::kSha256: return crypto::DigestAlg::kSha256;
    case HashAlgo::kSha384: return crypto::DigestAlg::kSha384;
    case HashAlgo::kSha512: return crypto::DigestAlg::kSha512;
    case HashAlgo::kSha224: return crypto::DigestAlg::kSha224;
    case HashAlgo::kSha3_256: return crypto::DigestAlg::kSha3_256;
    case HashAlgo::kSha3_512: return crypto::DigestAlg::kSha3_512;
  }
  return std::nullopt;
}

bool hash_acceptable(std::uint8_t hash_algo) {
  const auto alg = static_cast<HashAlgo>(hash_algo);
  return digest_alg(hash_algo).has_value() && alg != HashAlgo::kMd5 && alg != HashAlgo::kRipemd160;
}

std::string hash_header_name(std::uint8_t hash_algo) {
  switch (static_cast<HashAlgo>(hash_algo)) {
    case HashAlgo::kMd5: return "MD5";
    case HashAlgo::kSha1: return "SHA1";
    case HashAlgo::kRipemd160: return "RIPEMD160";
    case HashAlgo::kSha256: return "SHA256";
    case HashAlgo::kSha384: return "SHA384";
    case HashAlgo::kSha512: return "SHA512";
    case HashAlgo::kSha224: return "SHA224";
    case HashAlgo::kSha3_256: return "SHA3-256";
    case HashAlgo::kSha3_512: return "SHA3-512";
  }
  return "";
}

}  // namespace chartprov::openpgp
