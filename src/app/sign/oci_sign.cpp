#include "app/sign/oci_sign.hpp"

#include <nlohmann/json.hpp>

#include "infra/openssl/digest.hpp"
#include "oci/manifest.hpp"
#include "util/clock.hpp"

namespace chartprov::app {

Result<OciSignatureForm> parse_oci_signature_form(std::string_view text) {
  if (text == "referrer") return OciSignatureForm::kReferrer;
  if (text == "legacy") return OciSignatureForm::kLegacy;
  if (text == "both") return OciSignatureForm::kBoth;
  return usage_error("unknown OCI signature form '" + std::string(text) + "' (referrer, legacy, both)");
}

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

  if (req.form != OciSignatureForm::kReferrer) {
    TRY(out.legacy, attach_legacy_signature(session, ref.registry, repo, out.manifest_digest, *req.signer));
  }
  if (req.form != OciSignatureForm::kLegacy) {
    // The subject as the registry serves it (helm writes no mediaType field; the registry says which it took).
    oci::Descriptor subject;
    subject.media_type = !chart_manifest.media_type.empty()     ? chart_manifest.media_type
                         : m.media_type == oci::kDockerManifest ? std::string(oci::kDockerManifest)
                                                                : std::string(oci::kOciManifest);
    subject.digest = out.manifest_digest;
    subject.size = static_cast<std::int64_t>(m.body.size());
    TRY(out.referrer, attach_bundle_referrer(session, repo, subject, *req.signer, now_or(req.now)));
  }
  return out;
}

}  // namespace chartprov::app
