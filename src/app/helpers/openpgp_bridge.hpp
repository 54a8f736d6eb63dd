#pragma once
// OpenPGP signatures from any signer (HSM, exec plugin, key file): the
// OpenPGP key is the signer's public key at a fixed creation time, and each
// OpenPGP digest goes to the signer, so RNP never needs the private key.
#include <cstdint>
#include <memory>

#include "openpgp/signer.hpp"
#include "signer/signer.hpp"

namespace chartprov::app {

// `s` must outlive the result. Ed25519 (as OpenPGP v4 EdDSA, which signs the
// digest as its message) needs a signer that signs messages: a key in memory.
Result<std::unique_ptr<openpgp::DigestSigner>> openpgp_signer_for(const signer::Signer& s, std::uint32_t created);

}  // namespace chartprov::app
