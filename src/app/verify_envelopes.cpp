#include "app/verify_envelopes.hpp"

#include <ctime>

#include "app/bundle_verify.hpp"
#include "app/cosign_keys.hpp"
#include "app/cosign_prov_check.hpp"
#include "app/key_backup.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

constexpr std::uint64_t kMaxProv = 1u << 20;  // as verify --keyring

}  // namespace

Result<KeyVerifyReport> verify_with_key(const KeyVerifyRequest& req) {
  TRY(const crypto::PKey key, load_public_key(req.key));
  std::optional<sigstore::TrustedRoot> root;
  if (req.trusted_root) {
    TRY(root, load_trusted_root(*req.trusted_root));
  }
  return verify_with_loaded_key(req, key, root ? &*root : nullptr);
}

Result<KeyVerifyReport> verify_with_loaded_key(const KeyVerifyRequest& req, const crypto::PKey& key,
                                               const sigstore::TrustedRoot* root) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(req.chart, ec)) return input_error("chart not found: " + req.chart.string());

  KeyVerifyReport report;
  TRY(report.key_id, spki_key_id(key));

  std::optional<std::filesystem::path> sig = req.signature;
  std::optional<std::filesystem::path> bundle = req.bundle;
  std::optional<std::filesystem::path> prov = req.prov_by_key ? req.prov : std::nullopt;
  if (req.discover && !sig && !bundle && !prov) {
    const std::filesystem::path s = req.chart.string() + ".sig";
    const std::filesystem::path b = req.chart.string() + ".sigstore.json";
    const std::filesystem::path p = req.chart.string() + ".prov";
    if (std::filesystem::exists(s, ec)) sig = s;
    if (std::filesystem::exists(b, ec)) bundle = b;
    if (req.prov_by_key && std::filesystem::exists(p, ec)) prov = p;
  }

  // One streaming read: the archive checks, its SHA-256 and, for a .sig, the
  // digest the key signs. The bytes themselves are kept only when an envelope
  // needs the whole message (a bundle; Ed25519, which signs the message).
  const auto blob_alg = cosign::blob_digest_alg(key);
  const bool keep_bytes = bundle.has_value() || (sig.has_value() && !blob_alg.ok());
  std::optional<crypto::Digest> blob_digest;
  if (sig && blob_alg.ok() && *blob_alg != crypto::DigestAlg::kSha256) {
    TRY(crypto::Digest d, crypto::Digest::create(*blob_alg));
    blob_digest.emplace(std::move(d));
  }
  Bytes bytes;
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;
  TRY(auto read, chart::read_chart_file(req.chart, limits, [&](ByteView chunk) {
        if (blob_digest) blob_digest->update(chunk);
        if (keep_bytes) bytes.insert(bytes.end(), chunk.begin(), chunk.end());
      }));
  report.digest = "sha256:" + read.sha256_hex;
  if (read.archive.ok()) {
    report.chart_name = read.archive->metadata.name;
    report.chart_version = read.archive->metadata.version;
  } else {
    report.reasons.push_back("archive: " + read.archive.error().message);
  }
  Bytes signed_digest;
  if (blob_digest) {
    signed_digest = blob_digest->finish();
  } else if (sig && blob_alg.ok()) {
    TRY(signed_digest, hex_decode(read.sha256_hex));
  }

  if (!sig && !bundle && !prov) {
    report.reasons.push_back("no signature next to the chart (" + req.chart.filename().string() +
                             ".sig, .sigstore.json, .prov); give --signature, --bundle or --prov");
  }
  if (prov) {
    EnvelopeReport e{"prov", prov->string(), false, "", 0, 0};
    if (auto text = read_text_file(*prov, kMaxProv); !text) {
      if (req.prov) return text.error();  // a file given but unreadable is an input error
      e.reason = text.error().message;
    } else {
      const ProvArchiveFacts facts{req.chart.filename().string(), report.digest, report.chart_name,
                                   report.chart_version};
      const std::int64_t now = req.now != 0 ? req.now : static_cast<std::int64_t>(std::time(nullptr));
      const auto check = verify_prov_with_key(*text, key, facts, now);
      e.verified = check.verified;
      e.reason = check.reason;
      e.ignored = check.other_signer && !req.prov;
      if (e.ignored) e.reason += "; found beside the chart, not counted";
    }
    report.envelopes.push_back(e);
  }
  if (sig) {
    EnvelopeReport e{"cosign-blob", sig->string(), false, "", 0, 0};
    auto file = read_file(*sig, cosign::kMaxSignatureFile);
    if (!file) {
      if (req.signature) return file.error();
      e.reason = file.error().message;
    } else if (keep_bytes ? cosign::verify_blob(key, bytes, cosign::decode_signature_file(*file))
                          : cosign::verify_blob_digest(key, signed_digest, cosign::decode_signature_file(*file))) {
      e.verified = true;
    } else {
      e.reason = "the signature does not verify with key " + report.key_id.substr(0, 16);
    }
    report.envelopes.push_back(e);
  }
  if (bundle) {
    EnvelopeReport e{"sigstore-bundle", bundle->string(), false, "", 0, 0};
    auto text = read_text_file(*bundle, sigstore::kMaxBundle);
    if (!text) {
      if (req.bundle) return text.error();
      e.reason = text.error().message;
    } else {
      const auto check = verify_bundle(ByteView(bytes), *text, key, root);
      e.verified = check.verified;
      e.reason = check.reason;
      e.tlog_entries_verified = check.tlog_entries_verified;
      e.timestamps_verified = check.timestamps_verified;
    }
    report.envelopes.push_back(e);
  }
  bool any = false;
  for (const auto& e : report.envelopes) {
    if (e.ignored) continue;
    any = any || e.verified;
    if (!e.verified) report.reasons.push_back(e.format + " " + e.file + ": " + e.reason);
  }
  if (!any && report.reasons.empty()) {
    report.reasons.push_back("no envelope beside the chart is signed by this key");
  }
  report.verified = report.reasons.empty() && any;
  return report;
}

}  // namespace chartprov::app
