#include "app/verify/bundle_verify.hpp"

#include <algorithm>

#include "app/verify/bundle_parts.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

BundleCheck fail(BundleCheck c, std::string reason) {
  c.verified = false;
  c.reason = std::move(reason);
  return c;
}

BundleCheck verify_parsed(const sigstore::Bundle& b, std::optional<ByteView> artifact,
                          const std::optional<std::string>& subject_hex, const crypto::PKey& key,
                          const sigstore::TrustedRoot* root, const tlog::ExpectedChart* chart) {
  BundleCheck c;
  if (b.has_certificate)
    return fail(c, "the bundle carries a certificate: verify it against a Sigstore trusted root and an identity");
  auto content = check_signed_content(b, artifact, subject_hex, key);
  if (!content) return fail(c, content.error().message);
  c.content = content->content;
  if (chart != nullptr) content->expected.chart = *chart;
  if (root == nullptr) {
    c.verified = true;
    return c;
  }
  auto times = check_log_and_timestamps(b, *root, *content);
  if (!times) return fail(c, times.error().message);
  c.tlog_entries_verified = times->tlog_entries_verified;
  c.log_entries = times->entries;
  c.timestamps_verified = times->timestamps_verified;
  c.integrated_time = times->integrated_time;
  if (!times->verified_times.empty()) {
    c.signed_at = *std::min_element(times->verified_times.begin(), times->verified_times.end());
  }
  c.verified = true;
  return c;
}

}  // namespace

Result<sigstore::TrustedRoot> load_trusted_root(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, sigstore::kMaxTrustedRoot));
  auto root = sigstore::parse_trusted_root(text);
  if (!root) return root.error().with_context(path.string());
  return root;
}

BundleCheck verify_bundle(std::optional<ByteView> artifact, std::string_view bundle_json, const crypto::PKey& key,
                          const sigstore::TrustedRoot* root, const tlog::ExpectedChart* chart) {
  auto b = sigstore::parse_bundle(bundle_json);
  if (!b) return fail({}, "bundle: " + b.error().message);
  return verify_parsed(*b, artifact, std::nullopt, key, root, chart);
}

BundleCheck verify_bundle_for_digest(std::string_view sha256_hex, std::string_view bundle_json, const crypto::PKey& key,
                                     const sigstore::TrustedRoot* root) {
  auto b = sigstore::parse_bundle(bundle_json);
  if (!b) return fail({}, "bundle: " + b.error().message);
  if (!b->dsse) return fail({}, "an OCI signature bundle must hold a DSSE envelope");
  return verify_parsed(*b, std::nullopt, std::string(sha256_hex), key, root, nullptr);
}

}  // namespace chartprov::app
