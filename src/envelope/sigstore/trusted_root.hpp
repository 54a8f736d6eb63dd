#pragma once
// A Sigstore trusted root (trusted_root.json, FORMAT.md D2; protobuf-specs
// sigstore_trustroot.proto): the transparency logs (Rekor v1 and v2), the
// certificate authorities (Fulcio), the certificate transparency logs and the
// timestamp authorities a bundle is checked against.
//
// parse_trusted_root reads the JSON strictly (proto_json.hpp) and refuses the
// whole root for one malformed entry, with the entry named in the message:
//  - larger than kMaxTrustedRoot; not a JSON object; an unknown field; a
//    mediaType other than ...trustedroot+json;version=0.1 or ...trustedroot.v0.2+json;
//  - tlogs / ctlogs: not a list; hashAlgorithm other than SHA2_256; no publicKey,
//    publicKey.rawBytes or logId.keyId; a key parse_log_key refuses (log_key.hpp);
//    a baseUrl that is neither an http(s) URL nor a scheme-less host;
//  - certificateAuthorities / timestampAuthorities: not a list; no certChain
//    or an empty one ("empty certChain"); a certificate without rawBytes;
//  - every validFor (a log key's, a CA's, a TSA's): missing ("validFor is
//    missing"), without start ("missing \"start\"", the conformance row
//    trust-root-tlog-missing-validity-start_fail), a time that is not RFC 3339,
//    an end before the start ("validFor ends before it starts").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::sigstore {

// Unix seconds, both ends inclusive (protobuf-specs TimeRange).
struct ValidFor {
  std::int64_t start = 0;
  std::optional<std::int64_t> end;
  bool contains(std::int64_t t) const { return t >= start && (!end || t <= *end); }
};

// A transparency log (tlogs) or a certificate transparency log (ctlogs).
struct TransparencyLog {
  std::string base_url;
  // The host of base_url (no scheme, port or path; lower case), as sigstore-go
  // names a Rekor v2 log: its checkpoints' origin line and the key name of its
  // signature line. Empty without a baseUrl. Rekor v1 checkpoints do not use
  // it: their origin is "<name> - <tree id>" (tlog/checkpoint.hpp).
  std::string origin;
  std::string key_details;  // protobuf-specs PublicKeyDetails, as given
  crypto::PKey key;
  Bytes spki;               // DER SubjectPublicKeyInfo of key
  Bytes log_id;             // logId.keyId as given: SHA-256 of the SPKI (Rekor v1, CT), C2SP key id (Rekor v2)
  Bytes checkpoint_key_id;  // checkpointKeyId.keyId (v0.2 roots, optional): empty when not given
  ValidFor valid;
};

// A certificate authority (Fulcio): certificates that may issue a bundle's
// leaf certificate.
struct CertificateAuthority {
  std::string uri;
  std::vector<Bytes> chain;  // DER, in the root's order: the issuing certificate first, the trust anchor last
  ValidFor valid;            // when the whole chain may have issued certificates
};

struct TimestampAuthority {
  std::string uri;
  std::vector<Bytes> chain;  // DER certificates, leaf first, anchor last
  ValidFor valid;
};

struct TrustedRoot {
  std::vector<TransparencyLog> tlogs;
  std::vector<CertificateAuthority> certificate_authorities;
  std::vector<TransparencyLog> ctlogs;
  std::vector<TimestampAuthority> timestamp_authorities;

  // The first tlog whose logId.keyId is log_id (a bundle entry's logId), or null.
  const TransparencyLog* find_log(ByteView log_id) const;
  // The first ctlog whose logId.keyId is log_id (an SCT's log id), or null.
  const TransparencyLog* find_ct_log(ByteView log_id) const;
};

inline constexpr std::size_t kMaxTrustedRoot = 4u << 20;

// A tlog's origin as TransparencyLog::origin reads it from a baseUrl: the
// host, lower case, without scheme, port or path ("" for ""). Refusal (input
// error): neither an http(s) URL nor a scheme-less host ("baseUrl \"U\" is
// not an http(s) URL or a host").
Result<std::string> log_origin_of(const std::string& base_url);

Result<TrustedRoot> parse_trusted_root(std::string_view text);

}  // namespace chartprov::sigstore
