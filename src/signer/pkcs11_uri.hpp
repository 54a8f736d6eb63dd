#pragma once
// PKCS#11 URIs (RFC 7512) naming a key in an HSM, as cosign and p11-kit take
// them:  pkcs11:token=ci;object=signing;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234
#include <optional>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::signer {

inline constexpr std::string_view kPkcs11Scheme = "pkcs11:";
inline constexpr std::size_t kMaxPkcs11Uri = 4096;

struct Pkcs11Uri {
  // Path attributes that select the token and the object (decoded; empty = any).
  std::string token;
  std::string manufacturer;
  std::string serial;
  std::string model;
  std::string object;  // CKA_LABEL
  Bytes id;            // CKA_ID
  std::string type;    // private | public | cert | ... (we want private)
  std::optional<unsigned long> slot_id;
  // Query attributes.
  std::string module_path;
  std::string module_name;
  SecretString pin_value;
  std::string pin_source;
};

// Strict: unknown standard attributes, repeated attributes, bad percent
// escapes and non-numeric slot ids are refused; "x-" vendor attributes are
// ignored as the RFC allows. A key URI must name the key (object= or id=);
// token_only accepts a URI that names just a token (for listing its keys).
Result<Pkcs11Uri> parse_pkcs11_uri(std::string_view text, bool token_only = false);

// The same URI naming another object on the same token: object= and id= are
// replaced (percent-encoded), everything else is kept.
std::string pkcs11_uri_for_object(std::string_view uri, std::string_view label, ByteView id);

// The URI without pin-value, for messages and key lists.
std::string redact_pkcs11_uri(std::string_view text);

}  // namespace chartprov::signer
