#include "app/sign/oci_sign.hpp"

#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "oci/manifest.hpp"

namespace chartprov::app {

Result<OciSignResult> sign_oci_chart(OciSignRequest req) {
  if (req.signer == nullptr || !req.signer->signer) return internal_error("no signer");
  const auto& ref = req.reference;
  const std::string repo = ref.repository;
  TRY(OciSession session, OciSession::open(std::move(req.connection)));
  OciSignResult out;

  TRY(auto first, session.run(nlohmann::json::array({{{"op", "get-manifest"}, {"repo", repo}, {"ref", ref.ref()}}})));
  const auto& m = first.at(0);
  if (!m.error.empty()) return input_error(ref.display() + ": " + m.error);
  if (m.status != 200) return input_error(ref.display() + ": the registry answered " + std::to_string(m.status));
  out.manifest_digest = crypto::sha256_digest(m.body);
  if (!ref.digest.empty() && out.manifest_digest != ref.digest)
    return verify_error("the registry served another manifest");
  TRY(const oci::Manifest chart_manifest, oci::parse_manifest(as_chars(m.body)));
  if (chart_manifest.config.media_type != oci::kHelmConfig) {
    return input_error(ref.display() + " is not a Helm chart (config " + chart_manifest.config.media_type + ")");
  }

  TRY(out.legacy, attach_legacy_signature(session, ref.registry, repo, out.manifest_digest, *req.signer));
  return out;
}

}  // namespace chartprov::app
