#pragma once
// An OpenPGP public key as an OpenSSL key, for checking signatures.
#include "infra/openssl/pkey.hpp"
#include "openpgp/key.hpp"
#include "openpgp/key_material.hpp"
#include "util/result.hpp"

namespace chartprov::openpgp {

// RSA, DSA, ECDSA on the named curves, EdDSA legacy (Ed25519) and the
// RFC 9580 Ed25519 / Ed448 keys. Anything else (ECDH, Elgamal, unknown
// curves) is an input error naming what is unsupported.
Result<crypto::PKey> to_openssl_public_key(const PublicKey& key);

// The OpenPGP v4 public key of an OpenSSL key (public or private) created
// at `created`: RSA as algorithm 1, DSA 17, ECDSA 19 on the curves OpenPGP
// names, Ed25519 as EdDSA legacy 22 (what GnuPG 2.2 and Helm read) or, with
// ed25519_native, as RFC 9580 Ed25519 (27).
Result<PublicKey> openpgp_public_key(const crypto::PKey& key, std::uint32_t created, bool ed25519_native = false);

// The raw Ed25519 public key of an EdDSA legacy key (the point is 0x40 || key).
Result<ByteView> eddsa_legacy_public(const KeyMaterial& m);

}  // namespace chartprov::openpgp
