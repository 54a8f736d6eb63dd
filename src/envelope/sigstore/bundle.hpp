#pragma once
// Sigstore bundles (tests/data/cosign/FORMAT.md D), read as strictly as
// cosign/sigstore-go read them: protojson rules (unknown fields refused,
// int64 as strings or numbers, bytes as standard or URL-safe base64, null =
// unset), media types v0.1-v0.3 only, exactly one content.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envelope/sigstore/bundle_writer.hpp"  // the writer, for callers that include only this header
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

inline constexpr std::size_t kMaxBundle = 8u << 20;

struct InclusionProof {
  std::int64_t log_index = 0;
  Bytes root_hash;
  std::int64_t tree_size = 0;
  std::vector<Bytes> hashes;
  std::string checkpoint;
};

struct TlogEntry {
  std::int64_t log_index = 0;
  Bytes log_id;
  std::string kind, version;
  std::optional<std::int64_t> integrated_time;
  std::optional<Bytes> signed_entry_timestamp;
  std::optional<InclusionProof> proof;
  Bytes body;
};

struct MessageSignature {
  std::string digest_algorithm;  // SHA2_256 | SHA2_384 | SHA2_512
  Bytes digest;
  Bytes signature;
};

struct DsseEnvelope {
  Bytes payload;
  std::string payload_type;
  Bytes signature;  // exactly one
  std::string keyid;
};

struct Bundle {
  std::string media_type;
  int minor_version = 0;  // 1, 2 or 3
  std::string hint;       // unauthenticated; never used for trust
  bool has_certificate = false;
  std::vector<TlogEntry> tlog_entries;
  std::vector<Bytes> rfc3161_timestamps;
  std::optional<MessageSignature> message;
  std::optional<DsseEnvelope> dsse;
};

Result<Bundle> parse_bundle(std::string_view text);

// Standard or URL-safe base64, padded or not, line ends skipped (what Go's protojson reads).
Result<Bytes> decode_proto_bytes(std::string_view text);

}  // namespace chartprov::sigstore
