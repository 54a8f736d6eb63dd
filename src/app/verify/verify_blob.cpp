#include "app/verify/verify_blob.hpp"

#include <ctime>

#include "app/sign/blob_signer.hpp"
#include "app/verify/certificate_bundle.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

Status check_request(const BlobVerifyRequest& r) {
  if (!r.key && !r.trusted_root) {
    return usage_error(
        "give --key PUBLIC_KEY (a key-based bundle) or --trusted-root with "
        "--certificate-identity and --certificate-oidc-issuer (a certificate bundle)");
  }
  if (r.key && r.identity) {
    return usage_error("--key verifies a key-based bundle; --certificate-identity is for certificate bundles");
  }
  if (!r.key && !r.identity) {
    return usage_error(
        "a certificate bundle needs --certificate-identity (or -regexp) and "
        "--certificate-oidc-issuer (or -regexp): any OIDC account can obtain a certificate");
  }
  return ok_status();
}

BlobVerifyReport refuse(BlobVerifyReport r, std::string why) {
  r.verified = false;
  r.reason = std::move(why);
  return r;
}

}  // namespace

Result<BlobVerifyReport> verify_blob(const BlobVerifyRequest& request) {
  TRY_STATUS(check_request(request));
  const std::int64_t now = request.now != 0 ? request.now : static_cast<std::int64_t>(std::time(nullptr));
  std::optional<Bytes> artifact;
  if (request.artifact) {
    TRY(Bytes bytes, read_file(*request.artifact, kMaxBlob));
    artifact = std::move(bytes);
  }
  TRY(const std::string bundle_json, read_text_file(request.bundle, sigstore::kMaxBundle));
  std::optional<sigstore::TrustedRoot> root;
  if (request.trusted_root) {
    TRY(sigstore::TrustedRoot r, load_trusted_root(*request.trusted_root));
    root = std::move(r);
  }
  BlobVerifyReport report;
  if (artifact) report.artifact_sha256 = hex_encode(crypto::sha256(*artifact));
  std::optional<ByteView> blob;
  if (artifact) blob = ByteView(*artifact);

  if (request.key) {
    TRY(const crypto::PKey key, load_public_key(*request.key));
    report.check = verify_bundle(blob, bundle_json, key, root ? &*root : nullptr);
  } else {
    report.check = verify_certificate_bundle(blob, std::nullopt, bundle_json, *root, now);
    if (report.check.verified && !request.identity->matches(*report.check.identity)) {
      std::string why = "the certificate names " + report.check.identity->subject + " (issuer " +
                        report.check.identity->issuer + "), not " + request.identity->describe();
      return refuse(std::move(report), std::move(why));
    }
  }
  if (!report.check.verified) {
    std::string why = report.check.reason;
    return refuse(std::move(report), std::move(why));
  }
  report.verified = true;
  return report;
}

}  // namespace chartprov::app
