#pragma once
// verify --trust-dir: the trust root instead of a keyring or a key (issue 5).
// Every envelope beside the chart (.prov, .sig, .sigstore.json) is tried
// against the signing keys the trust root lists; a signature counts only if
// its key may sign this chart (allowed_charts), for this environment
// (allowed_environments, when --env is given), inside its validity window and
// before any revocation, at the time it was made (.prov: its creation time;
// bundles: the log's integrated time when present; else now).
#include <cstdint>
#include <map>
#include <filesystem>
#include <string>
#include <vector>

#include "app/cosign_prov_check.hpp"
#include "infra/openssl/digest.hpp"
#include "envelope/sigstore/trusted_root.hpp"
#include "policy/evidence.hpp"
#include "trust/trust_root.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct TrustedEnvelope {
  std::string format;  // prov | cosign-blob | sigstore-bundle
  std::string file;
  bool counted = false;
  std::string key_id, owner;  // the trusted key that verified it, if any
  std::string reason;         // why it does not count
};

struct TrustVerifyRequest {
  std::filesystem::path chart;
  std::filesystem::path trust_dir;
  std::string environment;  // empty: environments are not checked
  std::int64_t now = 0;
};

struct TrustVerifyReport {
  bool verified = false;
  std::int64_t trust_version = 0;
  std::string chart_name, chart_version, digest;
  std::vector<TrustedEnvelope> envelopes;
  std::vector<std::string> reasons;
};

Result<TrustVerifyReport> verify_with_trust_root(const TrustVerifyRequest& request);

// Why this trusted key's signature (made at `at`) does not count for this
// chart and environment, or "" when it does.
std::string scope_refusal(const trust::SigningKey& key, const std::string& chart, const std::string& environment,
                          std::int64_t at);
// The status for a refusal: revoked, expired or out-of-scope.
std::string status_of_refusal(const trust::SigningKey& key, std::int64_t at);

// The chart as read once: its path (envelopes are looked for beside it),
// its bytes, and what a .prov must say about it.
// bytes: kept only when an envelope needs the whole message (a bundle, or a
// .sig and an Ed25519 key); otherwise a .sig is checked against `digests`,
// computed in the same streaming read (SHA-256 comes from facts.digest).
struct TrustedChart {
  std::filesystem::path path;
  ByteView bytes;
  ProvArchiveFacts facts;
  const std::map<crypto::DigestAlg, Bytes>* digests = nullptr;
};

// What judge_with_trust_root needs of a chart's bytes, gathered while the
// chart is read once: decided from the envelopes beside `chart` and the
// algorithms of the root's keys.
class ChartBlobDigests {
 public:
  static Result<ChartBlobDigests> for_chart(const std::filesystem::path& chart, const trust::TrustRoot& root);
  void update(ByteView chunk);  // every chunk, in order
  void finish();                // after the last chunk
  const Bytes& bytes() const { return bytes_; }
  const std::map<crypto::DigestAlg, Bytes>* digests() const { return &digests_; }

 private:
  bool keep_bytes_ = false;
  Bytes bytes_;
  std::vector<crypto::Digest> running_;
  std::map<crypto::DigestAlg, Bytes> digests_;
};

// Every envelope beside the chart, judged against the trust root's signing
// keys (scopes, windows, revocations as of the signing time). tlog_root:
// Sigstore trusted root for bundle log entries (null: not checked).
std::vector<policy::EnvelopeEvidence> judge_with_trust_root(const TrustedChart& chart, const trust::TrustRoot& root,
                                                          const std::string& environment, std::int64_t now,
                                                          const sigstore::TrustedRoot* tlog_root);

// The same with the trust root already loaded (and checked): request.trust_dir
// is not read. For callers verifying many charts against one root.
Result<TrustVerifyReport> verify_with_loaded_trust_root(const TrustVerifyRequest& request, const trust::TrustRoot& root);

}  // namespace chartprov::app
