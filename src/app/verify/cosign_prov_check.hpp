#pragma once
// A Helm .prov checked with a bare public key (cosign.pub) instead of an
// OpenPGP keyring: `verify --key` covers the .prov that a cosign key signed
// (one key, several envelopes). A v4 fingerprint hashes the key's creation
// time, which a PEM public key does not carry, so the signer is identified by
// key material: a signature counts only if it verifies under this key. Every
// other rule of `verify --keyring` holds: Hash: header, document signature
// type, no weak hash, no unknown critical subpacket, creation time not in the
// future nor expired, and the signed files: digest, chart name, version and
// file name against the archive.
#include <cstdint>
#include <string>
#include <string_view>

#include "infra/openssl/pkey.hpp"

namespace chartprov::app {

struct ProvArchiveFacts {
  std::string file_name;      // base name of the chart archive
  std::string digest;         // "sha256:<hex>" of its bytes
  std::string name, version;  // from its Chart.yaml; empty when unreadable
};

struct ProvKeyCheck {
  bool verified = false;
  bool signed_by_key = false;  // some signature verifies under the key (then every rule must hold)
  bool other_signer = false;   // well-formed, but no signature in it is this key's
  std::string reason;          // empty when verified
  std::uint32_t signed_at = 0;
};

ProvKeyCheck verify_prov_with_key(std::string_view prov_text, const crypto::PKey& key, const ProvArchiveFacts& chart,
                                  std::int64_t now);

}  // namespace chartprov::app
