#pragma once
// The elliptic curves OpenPGP names by OID (RFC 9580 §9.2, RFC 6637, the
// GnuPG/brainpool additions), with OpenSSL's names for them.
#include <string_view>

#include "util/bytes.hpp"

namespace chartprov::openpgp {

struct Curve {
  ByteView oid;              // DER body of the OID (no tag, no length)
  std::string_view openssl;  // OpenSSL group / key type name
  std::string_view label;    // for algorithm_label: "P256", "brainpoolP256r1", "Ed25519"
  unsigned bits;             // field size
};

const Curve* curve_by_oid(ByteView oid);
const Curve* curve_by_openssl_name(std::string_view name);

}  // namespace chartprov::openpgp
