#include "app/sign/oci_referrer_sign.hpp"

#include <nlohmann/json.hpp>

#include "app/helpers/oci_referrers.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "envelope/sigstore/intoto_statement.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "oci/bundle_referrer.hpp"
#include "oci/cosign_signature.hpp"
#include "oci/reference.hpp"
#include "oci/referrers.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;

json get_manifest(const std::string& repo, const std::string& ref) {
  return {{"op", "get-manifest"}, {"repo", repo}, {"ref", ref}};
}

std::string failure_of(const OciResult& r) { return r.error.empty() ? "HTTP " + std::to_string(r.status) : r.error; }

// The bundle layers of the listed referrers whose manifest is the one listed
// (by digest) and names `subject`; the others cannot be this key's signature.
Result<std::vector<oci::Descriptor>> listed_bundle_layers(OciSession& session, const std::string& repo,
                                                          std::string_view subject,
                                                          const std::vector<oci::Descriptor>& referrers) {
  std::vector<oci::Descriptor> layers;
  if (referrers.empty()) return layers;
  json ops = json::array();
  for (const auto& d : referrers) ops.push_back(get_manifest(repo, d.digest));
  TRY(const auto got, session.run(ops));
  for (std::size_t i = 0; i < referrers.size() && i < got.size(); ++i) {
    if (got[i].status != 200 || crypto::sha256_digest(got[i].body) != referrers[i].digest) continue;
    const auto m = oci::parse_manifest(as_chars(got[i].body));
    if (!m || !m->subject || m->subject->digest != subject) continue;
    const auto layer = m->layer(oci::kBundleV03);
    if (!layer || *layer == nullptr || (*layer)->size > static_cast<std::int64_t>(sigstore::kMaxBundle)) continue;
    layers.push_back(**layer);
  }
  return layers;
}

// Whether one of the listed bundles is this key's DSSE signature of `statement`.
Result<bool> signed_before(OciSession& session, const std::string& repo, const std::vector<oci::Descriptor>& layers,
                           std::string_view statement, const crypto::PKey& key) {
  if (layers.empty()) return false;
  json ops = json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    ops.push_back({{"op", "get-blob"},
                   {"repo", repo},
                   {"digest", layers[i].digest},
                   {"max", sigstore::kMaxBundle},
                   {"out", session.file("listed-bundle-" + std::to_string(i)).string()}});
  }
  TRY(const auto got, session.run(ops));
  for (std::size_t i = 0; i < layers.size() && i < got.size(); ++i) {
    if (got[i].status != 200) continue;
    const auto bytes = read_file(session.file("listed-bundle-" + std::to_string(i)), sigstore::kMaxBundle + 1);
    if (!bytes || !oci::check_blob(layers[i], *bytes)) continue;
    if (oci::is_dsse_signature_of(as_chars(*bytes), statement, key)) return true;
  }
  return false;
}

}  // namespace

Result<OciReferrerSignature> attach_bundle_referrer(OciSession& session, std::string_view repo_name,
                                                    const oci::Descriptor& manifest, const OpenedSigner& signer,
                                                    std::int64_t now) {
  const std::string repo(repo_name);
  const signer::Signer& s = *signer.signer;
  OciReferrerSignature out;
  out.referrers_tag = oci::referrers_tag(manifest.digest);
  const std::string statement = oci::cosign_sign_statement(manifest.digest);

  // 1. What is listed, and whether this key signed already.
  TRY(const auto listed,
      session.run(json::array({{{"op", "get-referrers"}, {"repo", repo}, {"digest", manifest.digest}},
                               get_manifest(repo, out.referrers_tag)})));
  TRY(const ReferrerListings listings, read_referrer_listings(listed.at(0), listed.at(1), out.referrers_tag));
  TRY(const std::vector<oci::Descriptor> bundles, oci::bundle_referrers(listings.indexes));
  TRY(const auto layers, listed_bundle_layers(session, repo, manifest.digest, bundles));
  TRY(out.already_signed, signed_before(session, repo, layers, statement, s.public_key()));
  out.bundle_referrers = static_cast<int>(bundles.size()) + (out.already_signed ? 0 : 1);
  if (out.already_signed) return out;
  if (bundles.size() >= oci::kMaxBundleReferrers) {
    return input_error(manifest.digest + " has " + std::to_string(bundles.size()) +
                       " Sigstore bundle referrers already, the most a verification reads");
  }

  // 2. The statement signed as DSSE, checked before use, in a bundle; the referrer manifest for it.
  const Bytes pae = sigstore::dsse_pae(sigstore::kInTotoPayloadType, as_bytes(statement));
  TRY(const Bytes signature, s.sign_message(pae));
  if (!cosign::verify_blob(s.public_key(), pae, signature)) {
    return verify_error(s.describe() + " made a signature that does not verify");
  }
  TRY(const Bytes key_id, crypto::spki_key_id_bytes(s.public_key()));
  const std::string bundle =
      sigstore::write_dsse_bundle(sigstore::kInTotoPayloadType, as_bytes(statement), signature, key_id);
  const std::string referrer = oci::bundle_referrer_manifest(manifest, bundle, format_rfc3339(now));
  out.manifest_digest = crypto::sha256_digest(as_bytes(referrer));

  // 3. Blobs, then the manifest by digest; the referrers tag read again for step 4.
  TRY_STATUS(atomic_write(session.file("empty-config"), oci::kEmptyJson, 0600));
  TRY_STATUS(atomic_write(session.file("bundle"), bundle, 0600));
  TRY_STATUS(atomic_write(session.file("referrer"), referrer, 0600));
  const json ops = json::array({{{"op", "put-blob"},
                                 {"repo", repo},
                                 {"digest", crypto::sha256_digest(as_bytes(oci::kEmptyJson))},
                                 {"file", session.file("empty-config").string()}},
                                {{"op", "put-blob"},
                                 {"repo", repo},
                                 {"digest", crypto::sha256_digest(as_bytes(bundle))},
                                 {"file", session.file("bundle").string()}},
                                {{"op", "put-manifest"},
                                 {"repo", repo},
                                 {"ref", out.manifest_digest},
                                 {"media_type", std::string(oci::kOciManifest)},
                                 {"file", session.file("referrer").string()}},
                                get_manifest(repo, out.referrers_tag)});
  TRY(const auto pushed, session.run(ops));
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& r = pushed.at(i);
    if (!r.error.empty() || r.status < 200 || r.status >= 300) {
      return input_error("pushing the referrer failed at step " + std::to_string(i + 1) + " (" + failure_of(r) + ")");
    }
  }

  // 4. A registry with the referrers API names the subject back; without it, the tag lists the referrer.
  out.referrers_api = pushed[2].oci_subject == manifest.digest;
  if (out.referrers_api) return out;
  TRY(const auto current, referrers_tag_text(pushed.at(3), out.referrers_tag));
  TRY(const oci::Manifest pushed_referrer, oci::parse_manifest(referrer));
  const oci::Descriptor entry =
      oci::referrer_descriptor(pushed_referrer, out.manifest_digest, static_cast<std::int64_t>(referrer.size()));
  TRY(const auto index,
      oci::add_to_referrers_index(current ? std::optional<std::string_view>(*current) : std::nullopt, entry));
  if (!index) return out;  // listed already
  TRY_STATUS(atomic_write(session.file("referrers-index"), *index, 0600));
  TRY(const auto put, session.run(json::array({{{"op", "put-manifest"},
                                                {"repo", repo},
                                                {"ref", out.referrers_tag},
                                                {"media_type", std::string(oci::kOciIndex)},
                                                {"file", session.file("referrers-index").string()}}})));
  if (!put.at(0).error.empty() || put[0].status < 200 || put[0].status >= 300) {
    return input_error("pushing the referrers tag " + out.referrers_tag + " failed (" + failure_of(put[0]) + ")");
  }
  out.tag_updated = true;
  return out;
}

}  // namespace chartprov::app
