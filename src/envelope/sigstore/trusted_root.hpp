#pragma once
// A Sigstore trusted root (trusted_root.json, FORMAT.md D2): the keys of the
// transparency logs and the certificate chains of the timestamp authorities
// a bundle's log entries and timestamps are checked against. Key-based
// verification needs nothing else (CAs and CT logs are read and ignored).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

struct ValidFor {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
  bool contains(std::int64_t t) const { return t >= start && (!end || t <= *end); }
};

struct TransparencyLog {
  std::string base_url;
  crypto::PKey key;
  Bytes spki;
  Bytes log_id;  // SHA-256 of the SPKI, as logId.keyId says
  ValidFor valid;
};

struct TimestampAuthority {
  std::string uri;
  std::vector<Bytes> chain;  // DER certificates, leaf first, anchor last
  ValidFor valid;
};

struct TrustedRoot {
  std::vector<TransparencyLog> tlogs;
  std::vector<TimestampAuthority> timestamp_authorities;
  const TransparencyLog* find_log(ByteView log_id) const;
};

inline constexpr std::size_t kMaxTrustedRoot = 4u << 20;

Result<TrustedRoot> parse_trusted_root(std::string_view text);

}  // namespace chartprov::sigstore
