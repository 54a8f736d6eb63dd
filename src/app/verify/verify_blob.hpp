#pragma once
// verify-blob (issue 16): one Sigstore bundle over any file, with the judges
// a chart's bundle goes through -- by a public key (bundle_verify.hpp) or by
// a certificate and the identity it must name (certificate_bundle.hpp). With
// no file, a DSSE bundle's envelope is verified and its in-toto subjects are
// reported. The same command cosign and sigstore-js offer, so that the
// Sigstore conformance vectors run against chartprov's own judges.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/verify/bundle_verify.hpp"
#include "policy/identity.hpp"
#include "util/result.hpp"

namespace chartprov::app {

inline constexpr std::uint64_t kMaxBlob = 256u << 20;

struct BlobVerifyRequest {
  std::optional<std::filesystem::path> artifact;  // absent: a DSSE bundle, its subjects reported
  std::filesystem::path bundle;
  std::optional<std::filesystem::path> key;             // a key-based bundle
  std::optional<std::filesystem::path> trusted_root;    // required for certificates; with --key, checks the log
  std::optional<policy::IdentityRequirement> identity;  // required for certificates
  std::int64_t now = 0;                                 // 0: the clock
};

struct BlobVerifyReport {
  bool verified = false;
  std::string reason;           // empty when verified
  std::string artifact_sha256;  // hex, with an artifact
  BundleCheck check;
};

// Usage errors (exit 2): neither --key nor --trusted-root; --key with an
// identity; a certificate check without an identity (anyone can get a
// Fulcio certificate: the identity is what is trusted). Input errors (exit
// 2): a file that cannot be read, an artifact over kMaxBlob, a bundle over
// sigstore::kMaxBundle, a key or trusted root that does not load. Every
// verdict about the bundle -- a malformed bundle included -- is in the
// report: a certificate bundle checked with --key, a key bundle without
// --key, an identity that does not match, a message bundle with no file.
Result<BlobVerifyReport> verify_blob(const BlobVerifyRequest& request);

}  // namespace chartprov::app
