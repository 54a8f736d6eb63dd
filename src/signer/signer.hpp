#pragma once
// A signer: anything that can sign a digest (DESIGN "signer") -- a key file
// held in memory, a key inside an HSM, an external command bridging to a KMS.
// Every envelope (OpenPGP .prov, cosign .sig, Sigstore bundle, OCI) is made
// from this one interface, so the private key never has to leave its home.
#include <memory>
#include <string>

#include "infra/openssl/digest.hpp"
#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::signer {

class Signer {
 public:
  virtual ~Signer() = default;
  // The public key (its SPKI names the key: key id = SHA-256 of it).
  virtual const crypto::PKey& public_key() const = 0;
  // Where the key lives, for messages and `key list` ("file ci.key", "exec:/usr/bin/kms-signer", ...).
  virtual std::string describe() const = 0;
  // Signs a digest made with `alg`. ECDSA: DER SEQUENCE{r, s}; RSA: the
  // PKCS#1 v1.5 signature block. Ed25519 cannot sign a digest: use sign_message.
  virtual Result<Bytes> sign_digest(crypto::DigestAlg alg, ByteView digest) const = 0;
  // Signs a whole message. Default: hash with the key's default algorithm
  // (crypto::default_digest) and sign_digest; Ed25519 signers override it.
  virtual Result<Bytes> sign_message(ByteView message) const;
};

// Whether `signature` (in sign_digest's encoding) is by `key` over `digest`.
// Signers' answers are checked with this before anyone uses them.
bool signature_matches(const crypto::PKey& key, crypto::DigestAlg alg, ByteView digest, ByteView signature);

// A signer over a private key held in memory (a decrypted key file).
std::unique_ptr<Signer> make_key_signer(crypto::PKey private_key, std::string description);

}  // namespace chartprov::signer
