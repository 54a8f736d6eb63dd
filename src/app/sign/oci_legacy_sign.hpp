#pragma once
// cosign's legacy signature of an OCI manifest (tests/data/cosign/FORMAT.md
// C1), as sign oci:// writes it: the simple-signing payload naming the
// manifest digest, signed, added as a layer of the sha256-<hex>.sig manifest
// (read-modify-write; a key that already signed this manifest is not added
// again).
#include <string>
#include <string_view>

#include "app/helpers/oci_client.hpp"
#include "app/keys/signer_source.hpp"

namespace chartprov::app {

struct OciLegacySignature {
  std::string tag;              // sha256-<hex>.sig
  std::string manifest_digest;  // of the .sig manifest pushed (empty when nothing was)
  int layers = 0;               // signatures now under the tag
  bool already_signed = false;  // this key had signed this manifest: nothing pushed
};

// registry, repo: where the chart is (the payload's docker-reference is
// registry/repo); manifest_digest: the chart manifest's, sha256:<hex>.
// Refusals: the signer's signature does not verify with its public key; the
// .sig tag answers anything but 200 or 404, or holds no manifest; a push that
// fails ("pushing the signature failed at step N (...)").
Result<OciLegacySignature> attach_legacy_signature(OciSession& session, std::string_view registry,
                                                   std::string_view repo, std::string_view manifest_digest,
                                                   const OpenedSigner& signer);

}  // namespace chartprov::app
