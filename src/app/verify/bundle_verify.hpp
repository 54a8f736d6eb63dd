#pragma once
// Verifying a Sigstore bundle with a public key (FORMAT.md D3), as cosign
// verify-blob --key does: the signature (message or DSSE), the message
// digest against the artifact, and -- when a trusted root is given -- every
// transparency-log entry (inclusion proof, checkpoint, signed entry
// timestamp, body) and every RFC 3161 timestamp the bundle carries.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "envelope/sigstore/intoto_statement.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/pkey.hpp"
#include "policy/evidence.hpp"
#include "policy/identity.hpp"
#include "tlog/expected_entry.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct BundleCheck {
  bool verified = false;
  std::string reason;   // empty when verified
  std::string content;  // "message-signature" | "dsse"
  int tlog_entries_verified = 0;
  std::vector<policy::LogInclusion> log_entries;  // the verified entries (policy's transparency_log:)
  int timestamps_verified = 0;
  std::optional<std::int64_t> integrated_time;
  // The earliest verified signing time (a SET, the time chartprov's own log
  // sequenced the entry, RFC 3161), for key and certificate bundles alike.
  std::optional<std::int64_t> signed_at;
  // Certificate bundles (certificate_bundle.hpp): who the certificate names,
  // the trusted root's CA it chains to, the SCTs that verified.
  std::optional<policy::SignerIdentity> identity;
  std::string certificate_authority;
  int scts_verified = 0;
  // DSSE bundles whose payload is an in-toto statement: the statement.
  std::optional<sigstore::Statement> statement;
};

Result<sigstore::TrustedRoot> load_trusted_root(const std::filesystem::path& path);

// artifact: the bytes signed (message signatures need them; DSSE bundles
// check that the in-toto statement names their SHA-256; absent = not checked).
// root: null = key-only (log entries and timestamps are not looked at, as
// with cosign --insecure-ignore-tlog); else all must verify and, when the
// root lists logs, at least one entry must.
// chart: the chart the artifact is (name, version), which a log entry of
// chartprov's log must name (tlog/rekor_v2_body.hpp); null: not compared.
BundleCheck verify_bundle(std::optional<ByteView> artifact, std::string_view bundle_json, const crypto::PKey& key,
                          const sigstore::TrustedRoot* root, const tlog::ExpectedChart* chart = nullptr);

// For OCI referrers: a DSSE bundle whose in-toto statement must name
// sha256_hex (a manifest digest) as a subject.
BundleCheck verify_bundle_for_digest(std::string_view sha256_hex, std::string_view bundle_json, const crypto::PKey& key,
                                     const sigstore::TrustedRoot* root);

}  // namespace chartprov::app
