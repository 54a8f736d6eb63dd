#pragma once
// sign oci://: attach a cosign signature to a chart in a registry the way
// cosign (legacy form) does: sign the simple-signing payload naming the
// manifest digest, and add it as a layer of the sha256-<hex>.sig manifest
// (read-modify-write; a key that already signed this manifest is not added again).
#include <string>

#include "app/helpers/oci_client.hpp"
#include "app/keys/signer_source.hpp"
#include "oci/reference.hpp"

namespace chartprov::app {

struct OciSignRequest {
  oci::Reference reference;
  OciConnection connection;
  const OpenedSigner* signer = nullptr;
};

struct OciSignResult {
  std::string manifest_digest;  // what was signed
  std::string signature_tag;    // sha256-<hex>.sig
  std::string signature_manifest_digest;
  int layers = 0;               // signatures now under the tag
  bool already_signed = false;  // this key had signed this manifest: nothing pushed
};

Result<OciSignResult> sign_oci_chart(OciSignRequest request);

}  // namespace chartprov::app
