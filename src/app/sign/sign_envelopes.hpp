#pragma once
// One key, several envelopes (issue 3): the same signer writes, next to the
// chart, any of CHART.tgz.prov (Helm, OpenPGP), CHART.tgz.sig (cosign
// sign-blob) and CHART.tgz.sigstore.json (Sigstore bundle v0.3). Every
// signature is made and checked in memory before the first file is written.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/keys/signer_source.hpp"
#include "app/sign/log_submit.hpp"
#include "app/sign/sign.hpp"
#include "app/sign/signing_certificate.hpp"

namespace chartprov::app {

enum class EnvelopeFormat { kProv, kCosignBlob, kSigstoreBundle };

// "prov,cosign-blob,sigstore-bundle" (any subset, any order; no repeats).
Result<std::vector<EnvelopeFormat>> parse_envelope_formats(std::string_view list);
inline constexpr const char* kDefaultEnvelopeFormats = "prov,cosign-blob";

struct EnvelopeSignRequest {
  std::filesystem::path chart;
  const OpenedSigner* signer = nullptr;
  std::vector<EnvelopeFormat> formats;
  std::uint32_t openpgp_created = 0;                 // for .prov: overrides the signer's own
  std::optional<std::filesystem::path> key_history;  // status and allowed_charts enforced
  // The Sigstore bundle names the signer by this certificate instead of the key's hint.
  std::optional<SigningCertificate> certificate;
  // --log: the sigstore-bundle and .prov signatures are submitted to this log
  // (log_submit.hpp) before anything is written; the bundle carries the
  // checked entry in verificationMaterial.tlogEntries, the .prov gets a side
  // file CHART.tgz.prov.tlog.json (the entry, as parse_tlog_entry reads it).
  std::optional<LogTarget> log;
  std::int64_t now = 0;
};

// The side file of a .prov's log entry: "<prov>.tlog.json".
std::filesystem::path prov_tlog_path(const std::filesystem::path& prov);

struct EnvelopeSignResult {
  SignResult chart;  // name, version, digest; prov/fingerprint when a .prov was written
  std::vector<std::filesystem::path> written;
  std::string key_id;
};

// Signs the chart once per format and writes every envelope, all or nothing.
// Refusals, before anything is signed: a chart that cannot be read or is
// misnamed; the key history's refusals; a certificate with no
// sigstore-bundle among the formats (usage error: "a certificate goes into
// the Sigstore bundle: add sigstore-bundle to --format"), or one that
// check_signing_certificate refuses at `now`; with a log: no prov or
// sigstore-bundle among the formats (usage error: "--log logs the prov and
// sigstore-bundle signatures: add one to --format"), a sigstore-bundle with a
// key whose bundle digest is not SHA-256 (usage error: "--log needs a key that
// signs a SHA-256 digest (ECDSA P-256 or RSA)"). After signing: submit_to_log's
// refusals, and nothing is written.
Result<EnvelopeSignResult> sign_envelopes(const EnvelopeSignRequest& request);

}  // namespace chartprov::app
