#pragma once
// Helpers shared by the OpenPGP tests: loading keys from the test keyrings.
#include <gtest/gtest.h>

#include <string>

#include "openpgp/key.hpp"
#include "openpgp/packet.hpp"
#include "support/test_support.hpp"
#include "util/file.hpp"

namespace chartprov::test {

inline Bytes read_bytes(const std::filesystem::path& p) {
  auto r = read_file(p);
  if (!r.ok()) throw std::runtime_error(r.error().message);
  return std::move(r).value();
}

inline Bytes key_file(const std::string& name) { return read_bytes(data("helm/generated/keys/" + name)); }

// The body of the index-th packet with the given tag in a keyring file.
inline Bytes packet_body(const Bytes& keyring, std::uint8_t tag, int index = 0) {
  auto packets = openpgp::read_packets(keyring);
  if (!packets.ok()) throw std::runtime_error(packets.error().message);
  for (const auto& p : *packets) {
    if (p.tag == tag && index-- == 0) return Bytes(p.body.begin(), p.body.end());
  }
  throw std::runtime_error("no packet with tag " + std::to_string(tag));
}

// The primary key (tag 6) or first subkey (tag 14) of keys/<name>.pub.gpg.
inline openpgp::PublicKey load_public_key(const std::string& name, bool subkey = false) {
  const Bytes ring = key_file(name + ".pub.gpg");
  auto key = openpgp::parse_public_key(packet_body(ring, subkey ? 14 : 6));
  if (!key.ok()) throw std::runtime_error(key.error().message);
  return std::move(key).value();
}

}  // namespace chartprov::test
