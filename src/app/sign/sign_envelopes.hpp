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
#include "app/sign/sign.hpp"

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
  std::int64_t now = 0;
};

struct EnvelopeSignResult {
  SignResult chart;  // name, version, digest; prov/fingerprint when a .prov was written
  std::vector<std::filesystem::path> written;
  std::string key_id;
};

Result<EnvelopeSignResult> sign_envelopes(const EnvelopeSignRequest& request);

}  // namespace chartprov::app
