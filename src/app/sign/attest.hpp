#pragma once
// chartprov attest (issue 16): a build-provenance attestation for a chart
// archive, written beside it as CHART.tgz.attestation.sigstore.json -- a
// Sigstore bundle v0.3 holding a DSSE envelope (payloadType
// application/vnd.in-toto+json) whose in-toto statement v1 names the chart
// file and its SHA-256 as its one subject and carries the user's predicate
// (by default SLSA provenance v1: who built the chart, from which
// repository, ref and workflow). Signed by any signer `sign` takes (key
// file, cosign.key, pkcs11:, exec:), the bundle naming the key by its hint
// or, with a certificate from the team's own CA (signing_certificate.hpp),
// carrying that certificate; the signature is checked with the signer's
// public key before anything is written.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "app/keys/signer_source.hpp"
#include "app/sign/signing_certificate.hpp"
#include "envelope/sigstore/intoto_statement.hpp"
#include "util/result.hpp"

namespace chartprov::app {

// The attestation's file name beside the chart: CHART.tgz + this.
inline constexpr std::string_view kAttestationSuffix = ".attestation.sigstore.json";
std::filesystem::path attestation_path(const std::filesystem::path& chart);

struct AttestRequest {
  std::filesystem::path chart;
  const OpenedSigner* signer = nullptr;
  std::filesystem::path predicate;                                        // a JSON object
  std::string predicate_type = std::string(sigstore::kSlsaProvenanceV1);  // a URI
  bool force = false;                                                     // overwrite an existing attestation
  std::optional<std::filesystem::path> key_history;                       // status and allowed_charts enforced
  std::optional<SigningCertificate> certificate;  // the bundle carries it instead of the key's hint
  std::int64_t now = 0;                           // when the certificate must be valid; 0: the clock
};

struct AttestResult {
  std::string chart_name, chart_version, digest;  // digest: "sha256:<hex>"
  std::string key_id;
  std::string predicate_type;
  std::filesystem::path written;
};

// Refusals: no signer (internal); a predicate type that is not a URI
// (sigstore::check_predicate_type); the attestation exists and force is not
// set ("... exists; refusing to overwrite (--force)"); the predicate file
// cannot be read or is larger than sigstore::kMaxPredicate; a predicate that
// is not a JSON object (sigstore::write_statement); for SLSA provenance v1,
// a predicate parse_slsa_provenance refuses ("the predicate is not SLSA
// provenance v1: ..."); the chart cannot be read or fails the archive
// checks; a chart whose file name is not NAME-VERSION.tgz of its Chart.yaml
// (as sign refuses it); with key_history, a key that may not sign this
// chart; with a certificate, check_signing_certificate's refusals at `now`
// (another key's, expired, not for code signing, not chaining to the chain
// given); a signer that fails, or whose signature does not verify with its
// own public key; the file cannot be written (nothing is left behind).
Result<AttestResult> attest_chart(const AttestRequest& request);

}  // namespace chartprov::app
