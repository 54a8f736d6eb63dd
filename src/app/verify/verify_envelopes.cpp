#include "app/verify/verify_envelopes.hpp"

#include "app/keys/cosign_keys.hpp"
#include "app/verify/bundle_verify.hpp"
#include "app/verify/cosign_prov_check.hpp"
#include "app/verify/prov_log_entry.hpp"
#include "app/verify/staged_chart.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
Result<StagedChart> stage_for_key(const KeyVerifyRequest& req, const crypto::PKey& key) {
  StageRequest stage;
  stage.chart = req.chart;
  stage.find_prov = req.discover && req.prov_by_key;
  stage.find_cosign = req.discover;
  stage.prov = req.prov_by_key ? req.prov : std::nullopt;
  stage.sig = req.signature;
  stage.bundle = req.bundle;
  stage.cosign_keys = {&key};
  TRY(StagedChart chart, stage_chart(stage));
  // A file given but unreadable is an input error; one found beside the chart is a reason.
  const std::pair<const std::optional<StagedEnvelope>*, std::uint64_t> limits[] = {
      {&chart.prov, envelope::prov::kMaxProvFile},
      {&chart.sig, cosign::kMaxSignatureFile},
      {&chart.bundle, sigstore::kMaxBundle}};
  for (const auto& [e, limit] : limits) {
    if (*e && (*e)->given) TRY_STATUS((*e)->text(limit));
  }
  return chart;
}

KeyVerifyReport judge_with_key(const StagedChart& chart, const crypto::PKey& key, const std::string& key_id,
                               const sigstore::TrustedRoot* root, bool prov_by_key, std::int64_t now) {
  const StagedEnvelope* prov = prov_by_key && chart.prov ? &*chart.prov : nullptr;
  KeyVerifyReport report;
  report.key_id = key_id;
  report.digest = chart.digest;
  if (chart.archive.ok()) {
    report.chart_name = chart.archive->metadata.name;
    report.chart_version = chart.archive->metadata.version;
  } else {
    report.reasons.push_back("archive: " + chart.archive.error().message);
  }
  if (!chart.sig && !chart.bundle && prov == nullptr) {
    report.reasons.push_back("no signature next to the chart (" + chart.path.filename().string() +
                             ".sig, .sigstore.json, .prov); give --signature, --bundle or --prov");
  }
  if (prov != nullptr) {
    EnvelopeReport e{"prov", prov->file.string(), policy::Verdict::bad, "", 0, 0, {}};
    if (auto text = prov->text(envelope::prov::kMaxProvFile); !text) {
      e.reason = text.error().message;
    } else {
      const auto check = verify_prov_with_key(*text, key, chart.facts(), now);
      e.verdict = check.verified ? policy::Verdict::good : policy::Verdict::bad;
      e.reason = check.reason;
      if (check.other_signer && !prov->given) {
        e.verdict = policy::Verdict::unknown_key;
        e.reason += "; found beside the chart, not counted";
      }
      if (root != nullptr && e.verified()) {
        const ProvLogCheck logged = check_prov_log_entry(prov->file, as_bytes(*text), chart.facts(), *root);
        if (!logged.reason.empty()) {
          e.verdict = policy::Verdict::bad;
          e.reason = logged.reason;
        } else if (logged.inclusion) {
          e.tlog_entries_verified = 1;
          e.log_entries.push_back(*logged.inclusion);
        }
      }
    }
    report.envelopes.push_back(e);
  }
  if (chart.sig) {
    EnvelopeReport e{"cosign-blob", chart.sig->file.string(), policy::Verdict::bad, "", 0, 0, {}};
    const Bytes& bytes = chart.blob.bytes();
    const auto alg = cosign::blob_digest_alg(key);
    if (auto file = chart.sig->text(cosign::kMaxSignatureFile); !file) {
      e.reason = file.error().message;
    } else {
      const Bytes raw = cosign::decode_signature_file(as_bytes(*file));
      bool good = false;
      if (!alg.ok() || !bytes.empty()) {
        good = cosign::verify_blob(key, bytes, raw);  // kept: Ed25519 signs the message, or a bundle is there
      } else if (*alg == crypto::DigestAlg::kSha256) {
        const auto sha256 = hex_decode(std::string_view(chart.digest).substr(7));
        good = sha256.ok() && cosign::verify_blob_digest(key, *sha256, raw);
      } else {
        const auto d = chart.blob.digests()->find(*alg);
        good = d != chart.blob.digests()->end() && cosign::verify_blob_digest(key, d->second, raw);
      }
      if (good) {
        e.verdict = policy::Verdict::good;
      } else {
        e.reason = "the signature does not verify with key " + key_id.substr(0, 16);
      }
    }
    report.envelopes.push_back(e);
  }
  if (chart.bundle) {
    EnvelopeReport e{"sigstore-bundle", chart.bundle->file.string(), policy::Verdict::bad, "", 0, 0, {}};
    if (auto text = chart.bundle->text(sigstore::kMaxBundle); !text) {
      e.reason = text.error().message;
    } else {
      const ProvArchiveFacts facts = chart.facts();
      const tlog::ExpectedChart named{facts.name, facts.version};
      const auto check = verify_bundle(ByteView(chart.blob.bytes()), *text, key, root, &named);
      e.verdict = check.verified ? policy::Verdict::good : policy::Verdict::bad;
      e.reason = check.reason;
      e.tlog_entries_verified = check.tlog_entries_verified;
      e.log_entries = check.log_entries;
      e.timestamps_verified = check.timestamps_verified;
    }
    report.envelopes.push_back(e);
  }
  bool any = false;
  for (const auto& e : report.envelopes) {
    if (e.ignored()) continue;
    any = any || e.verified();
    if (!e.verified()) report.reasons.push_back(e.format + " " + e.file + ": " + e.reason);
  }
  if (!any && report.reasons.empty()) {
    report.reasons.push_back("no envelope beside the chart is signed by this key");
  }
  report.verified = report.reasons.empty() && any;
  return report;
}

}  // namespace chartprov::app
