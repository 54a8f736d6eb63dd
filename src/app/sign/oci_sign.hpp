#pragma once
// sign oci://: attach a cosign signature of a chart's manifest in its
// registry, in the form cosign writes (tests/data/cosign/FORMAT.md C):
// legacy (cosign v2): a layer of the sha256-<hex>.sig manifest signing the
// simple-signing payload (read-modify-write; oci_legacy_sign.hpp). A key
// whose signature of this manifest is already there adds nothing.
#include <optional>
#include <string>

#include "app/helpers/oci_client.hpp"
#include "app/keys/signer_source.hpp"
#include "app/sign/oci_legacy_sign.hpp"
#include "oci/reference.hpp"

namespace chartprov::app {

struct OciSignRequest {
  oci::Reference reference;
  OciConnection connection;
  const OpenedSigner* signer = nullptr;
};

struct OciSignResult {
  std::string manifest_digest;  // what was signed
  std::optional<OciLegacySignature> legacy;
};

// Refusals: no signer (internal); the session cannot be opened; the
// manifest cannot be fetched or is not a Helm chart's, or the registry served
// another manifest than the digest named; then attach_legacy_signature's.
Result<OciSignResult> sign_oci_chart(OciSignRequest request);

}  // namespace chartprov::app
