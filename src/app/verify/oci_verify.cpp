#include "app/verify/oci_verify.hpp"

#include <map>

#include "app/verify/bundle_verify.hpp"
#include "app/verify/judge_keyless.hpp"
#include "app/verify/oci_signatures.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "oci/cosign_signature.hpp"
#include "oci/manifest.hpp"
#include "util/byte_size.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

using nlohmann::json;

constexpr auto kMaxChart = static_cast<std::int64_t>(chart::kMaxChartArchive);
constexpr auto kMaxProv = static_cast<std::int64_t>(envelope::prov::kMaxProvFile);
constexpr auto kMaxPayload = static_cast<std::int64_t>(oci::kMaxSimpleSigningPayload);
constexpr auto kMaxBundle = static_cast<std::int64_t>(sigstore::kMaxBundle);

json get_manifest(const std::string& repo, const std::string& ref) {
  return {{"op", "get-manifest"}, {"repo", repo}, {"ref", ref}};
}

// Downloaded blobs by digest, each checked against its descriptor when read.
class Blobs {
 public:
  explicit Blobs(OciSession& s) : session_(s) {}
  json request(const std::string& repo, const oci::Descriptor& d, std::int64_t max) {
    const std::string name = "blob-" + std::to_string(files_.size());
    files_[d.digest] = session_.file(name);
    return {
        {"op", "get-blob"}, {"repo", repo}, {"digest", d.digest}, {"max", max}, {"out", session_.file(name).string()}};
  }
  oci::BlobSource source() const {
    return [this](const oci::Descriptor& d) -> Result<Bytes> {
      const auto it = files_.find(d.digest);
      if (it == files_.end()) return input_error("blob " + d.digest + " was not fetched");
      TRY(Bytes bytes, read_file(it->second, static_cast<std::uint64_t>(d.size) + 1));
      TRY_STATUS(oci::check_blob(d, bytes));
      return bytes;
    };
  }

 private:
  OciSession& session_;
  std::map<std::string, std::filesystem::path> files_;
};

// The keyring's judge over the .prov layer, as over a CHART.tgz.prov beside
// NAME-VERSION.tgz: the chart's facts from the layer read, its archive, the
// layer's text.
VerifyReport judge_prov_layer(const OciVerifyReport& r, const chart::ChartArchive& archive, const Bytes& prov,
                              const TrustMaterial& m, const std::vector<std::string>& pinned_signers,
                              std::int64_t now) {
  VerifyReport base;
  base.chart_file = r.chart_name + "-" + r.chart_version + ".tgz";
  base.digest = r.chart_digest;
  base.chart_name = r.chart_name;
  base.chart_version = r.chart_version;
  const std::string_view text(reinterpret_cast<const char*>(prov.data()), prov.size());
  return judge_prov(std::move(base), &archive, text, *m.keyring, m.history ? &*m.history : nullptr, pinned_signers,
                    now);
}

// The referrers (digests: of each manifest) whose bundle carries a
// certificate, each checked against the Sigstore trusted root. A referrer
// whose bundle cannot be read, or holds a key's signature, is none of them.
std::vector<OciCertificateSignature> check_certificate_referrers(const std::vector<oci::Manifest>& referrers,
                                                                 const std::vector<std::string>& digests,
                                                                 const std::string& manifest_digest,
                                                                 const oci::BlobSource& blobs,
                                                                 const sigstore::TrustedRoot* root, std::int64_t now) {
  std::vector<OciCertificateSignature> out;
  for (std::size_t i = 0; i < referrers.size() && i < digests.size(); ++i) {
    const auto bundle = referrer_bundle(referrers[i], manifest_digest, blobs);
    if (!bundle || !is_certificate_bundle(as_chars(*bundle))) continue;
    OciCertificateSignature c;
    c.referrer = digests[i];
    if (root == nullptr) {
      c.no_trusted_root = true;
      c.check.reason = "a certificate bundle, and no Sigstore trusted root to check it against";
    } else {
      c.check = verify_referrer_certificate(as_chars(*bundle), manifest_digest, *root, now);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<OciVerifyReport> verify_oci_chart(OciVerifyRequest req) {
  const TrustMaterial* material = req.material;
  if (material == nullptr || (!material->keyring && !material->key && !material->trust_root && !material->identity)) {
    return usage_error(
        "give --keyring (the .prov layer), --key (cosign signatures) or --certificate-identity with "
        "--trusted-root (keyless cosign signatures)");
  }
  for (const auto& pin : req.pinned_signers) TRY_STATUS(normalize_fingerprint(pin));
  const std::int64_t now = now_or(req.now);
  const crypto::PKey* key = material->key ? &*material->key : nullptr;
  const sigstore::TrustedRoot* root = material->sigstore_root ? &*material->sigstore_root : nullptr;
  std::vector<const crypto::PKey*> trusted_keys;
  if (material->trust_root) {
    for (const auto& k : material->trust_root->signing_keys) trusted_keys.push_back(&k.key.key);
  }
  OciVerifyReport report;
  report.key_id = material->key_id;
  const auto& ref = req.reference;
  const std::string repo = ref.repository;
  TRY(OciSession session, OciSession::open(std::move(req.connection)));

  // 1. The manifest: its digest is computed here, never taken from the registry.
  TRY(auto first, session.run(json::array({get_manifest(repo, ref.ref())})));
  const OciResult& m = first.at(0);
  if (!m.error.empty()) return input_error(ref.display() + ": " + m.error);
  if (m.status == 404) return input_error(ref.display() + ": not found in the registry");
  if (m.status == 401 || m.status == 403)
    return input_error(ref.display() + ": access denied (" + std::to_string(m.status) + ")");
  if (m.status != 200) return input_error(ref.display() + ": the registry answered " + std::to_string(m.status));
  report.manifest_digest = crypto::sha256_digest(m.body);
  if (!ref.digest.empty() && report.manifest_digest != ref.digest) {
    report.reasons.push_back("the registry served a manifest whose digest is " + report.manifest_digest + ", not " +
                             ref.digest);
    return report;
  }
  if (!m.digest_header.empty() && m.digest_header != report.manifest_digest) {
    report.reasons.push_back("the registry's Docker-Content-Digest " + m.digest_header +
                             " is not the manifest's digest " + report.manifest_digest);
    return report;
  }
  auto manifest = oci::parse_manifest(as_chars(m.body));
  if (!manifest) {
    report.reasons.push_back("manifest: " + manifest.error().message);
    return report;
  }
  if (manifest->config.media_type != oci::kHelmConfig) {
    report.reasons.push_back(ref.display() + " is not a Helm chart (config " + manifest->config.media_type + ")");
    return report;
  }
  auto chart_layer = manifest->layer(oci::kHelmChart);
  auto prov_layer = manifest->layer(oci::kHelmProv);
  if (!chart_layer || *chart_layer == nullptr) {
    report.reasons.push_back(chart_layer ? "the manifest has no chart layer" : chart_layer.error().message);
    return report;
  }
  if (!prov_layer) {
    report.reasons.push_back(prov_layer.error().message);
    return report;
  }
  if ((*chart_layer)->size > kMaxChart) {
    report.reasons.push_back("the chart layer is larger than " + byte_size_text(chart::kMaxChartArchive));
    return report;
  }

  // 2. Chart (+ .prov) and where cosign keeps signatures, in one batch.
  Blobs blobs(session);
  json ops = json::array({blobs.request(repo, **chart_layer, kMaxChart)});
  const bool want_prov =
      (material->keyring || material->trust_root) && *prov_layer != nullptr && (*prov_layer)->size <= kMaxProv;
  if (want_prov) ops.push_back(blobs.request(repo, **prov_layer, kMaxProv));
  const std::size_t sig_at = ops.size();
  const bool want_keyless =
      material->identity || (material->trust_root && !material->trust_root->signing_identities.empty());
  const bool want_signatures = key != nullptr || !trusted_keys.empty() || want_keyless;
  if (want_signatures) {
    ops.push_back(get_manifest(repo, oci::signature_tag(report.manifest_digest)));
    ops.push_back({{"op", "get-referrers"}, {"repo", repo}, {"digest", report.manifest_digest}});
    ops.push_back(get_manifest(repo, oci::referrers_tag(report.manifest_digest)));
  }
  TRY(auto second, session.run(ops));
  if (second.at(0).status != 200) {
    report.reasons.push_back("the chart layer could not be fetched (" +
                             (second[0].error.empty() ? std::to_string(second[0].status) : second[0].error) + ")");
    return report;
  }
  auto chart_bytes = blobs.source()(**chart_layer);
  if (!chart_bytes) {
    report.reasons.push_back("chart layer: " + chart_bytes.error().message);
    return report;
  }
  report.chart_digest = crypto::sha256_digest(*chart_bytes);
  report.chart_bytes = std::move(*chart_bytes);

  // The chart is what helm would install: read with the usual limits, and it
  // must be the chart the reference names.
  auto archive = chart::read_chart_archive_bytes(report.chart_bytes);
  if (!archive) {
    report.reasons.push_back("chart: " + archive.error().message);
    return report;
  }
  report.chart_name = archive->metadata.name;
  report.chart_version = archive->metadata.version;
  if (report.chart_name != ref.name()) {
    report.chart_problems.push_back("the chart is named " + report.chart_name + ", the reference names " + ref.name());
  }
  if (!ref.tag.empty() && oci::tag_for_version(report.chart_version) != ref.tag) {
    report.chart_problems.push_back("the chart's version " + report.chart_version + " is not the tag " + ref.tag);
  }
  report.reasons = report.chart_problems;

  std::optional<Result<Bytes>> prov_read;  // the .prov layer read once, checked against its descriptor
  if (want_prov && second.at(1).status == 200) {
    prov_read = blobs.source()(**prov_layer);
    if (*prov_read) report.prov_bytes = std::move(**prov_read);
  }
  if (material->keyring) {
    if (*prov_layer == nullptr) {
      report.reasons.push_back(
          "the chart was pushed without a .prov layer (helm push of a chart with no CHART.tgz.prov)");
    } else if (!prov_read) {
      report.reasons.push_back("the .prov layer could not be fetched");
    } else if (!report.prov_bytes) {
      report.reasons.push_back("prov layer: " + prov_read->error().message);
    } else {
      report.prov = judge_prov_layer(report, *archive, *report.prov_bytes, *material, req.pinned_signers, now);
      for (const auto& r : report.prov->reasons) report.reasons.push_back(".prov: " + r);
    }
  }

  if (want_signatures) {
    // 3. Signature payloads, referrer manifests; 4. referrer bundles.
    std::optional<oci::Manifest> sig_manifest;
    if (second.at(sig_at).status == 200) {
      auto sm = oci::parse_manifest(as_chars(second[sig_at].body));
      if (sm) sig_manifest = std::move(*sm);
    }
    // Both listings, the referrers API's and the referrers tag's: one that
    // cannot be read is a problem no signature makes up for, never an empty list.
    std::vector<oci::Descriptor> referrers;
    auto listed = bundle_referrers_listed(second.at(sig_at + 1), second.at(sig_at + 2), report.manifest_digest);
    if (listed) {
      referrers = std::move(*listed);
    } else {
      report.chart_problems.push_back(listed.error().message);
      report.reasons.push_back(listed.error().message);
    }
    json third = json::array();
    if (sig_manifest) {
      for (const auto& l : sig_manifest->layers) {
        if (l.media_type == oci::kSimpleSigning && l.size <= kMaxPayload)
          third.push_back(blobs.request(repo, l, kMaxPayload));
      }
    }
    for (const auto& r : referrers) third.push_back(get_manifest(repo, r.digest));
    std::vector<oci::Manifest> referrer_manifests;
    std::vector<std::string> referrer_digests;  // of each manifest above
    std::vector<std::string> failures;          // why each signature found did not count, when none does
    if (!third.empty()) {
      TRY(auto got, session.run(third));
      const std::size_t first_ref = got.size() - referrers.size();
      for (std::size_t i = 0; i < referrers.size(); ++i) {
        auto rm = referrer_manifest(got[first_ref + i], referrers[i]);  // by digest, or not at all
        if (rm) {
          referrer_manifests.push_back(std::move(*rm));
          referrer_digests.push_back(referrers[i].digest);
        } else {
          failures.push_back(rm.error().message);
        }
      }
    }
    json fourth = json::array();
    for (const auto& rm : referrer_manifests) {
      if (auto l = rm.layer(oci::kBundleV03); l && *l != nullptr && (*l)->size <= kMaxBundle) {
        fourth.push_back(blobs.request(repo, **l, kMaxBundle));
      }
    }
    if (!fourth.empty()) {
      TRY(auto ignored, session.run(fourth));
      (void)ignored;  // every blob is checked by digest when read
    }
    if (want_keyless) {
      report.certificate_signatures = check_certificate_referrers(referrer_manifests, referrer_digests,
                                                                  report.manifest_digest, blobs.source(), root, now);
    }
    report.good_by_trusted_key.assign(trusted_keys.size(), 0);
    for (std::size_t i = 0; i < trusted_keys.size(); ++i) {
      const crypto::PKey& k = *trusted_keys[i];
      if (sig_manifest) {
        report.good_by_trusted_key[i] +=
            oci::verify_signature_manifest(*sig_manifest, report.manifest_digest, k, blobs.source()).good;
      }
      for (const auto& rm : referrer_manifests) {
        report.good_by_trusted_key[i] +=
            verify_referrer_manifest(rm, report.manifest_digest, k, blobs.source(), root).good;
      }
    }
    if (key != nullptr) {
      if (sig_manifest) {
        const auto v = oci::verify_signature_manifest(*sig_manifest, report.manifest_digest, *key, blobs.source());
        report.cosign_signatures += v.good;
        if (!v.verified) failures.push_back("cosign signature: " + v.reason);
      }
      for (std::size_t i = 0; i < referrer_manifests.size(); ++i) {
        const auto v =
            verify_referrer_manifest(referrer_manifests[i], report.manifest_digest, *key, blobs.source(), root);
        report.cosign_signatures += v.good;
        if (!v.verified) failures.push_back("referrer " + referrer_digests[i] + ": " + v.reason);
      }
      if (report.cosign_signatures == 0 && failures.empty()) {
        failures.push_back("no cosign signature found (neither tag " + oci::signature_tag(report.manifest_digest) +
                           " nor a referrer)");
      }
      if (report.cosign_signatures == 0) report.reasons.insert(report.reasons.end(), failures.begin(), failures.end());
    }
  }

  report.verified = report.reasons.empty();
  return report;
}

Status save_oci_chart(const OciVerifyReport& report, const std::filesystem::path& output, bool with_prov) {
  if (report.chart_bytes.empty()) return input_error("no chart was read from the registry");
  TRY_STATUS(atomic_write(output, ByteView(report.chart_bytes), 0644));
  if (with_prov && report.prov_bytes) {
    TRY_STATUS(atomic_write(output.string() + ".prov", ByteView(*report.prov_bytes), 0644));
  }
  return ok_status();
}

}  // namespace chartprov::app
