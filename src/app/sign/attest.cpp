#include "app/sign/attest.hpp"

#include "app/keys/key_history_file.hpp"
#include "app/sign/sign_external.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "envelope/sigstore/statement_writer.hpp"
#include "infra/openssl/key_id.hpp"
#include "util/clock.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

// The predicate of a SLSA provenance v1 statement must be one: a policy
// reads its builder and source (docs/POLICY.md).
Status check_predicate(std::string_view type, std::string_view predicate_json) {
  if (type != sigstore::kSlsaProvenanceV1) return ok_status();
  if (auto p = sigstore::parse_slsa_provenance(predicate_json); !p) {
    return input_error("the predicate is not SLSA provenance v1: " + p.error().message);
  }
  return ok_status();
}

// The chart read once: its SHA-256 and Chart.yaml, under the archive checks of every verify.
Result<chart::ChartFileRead> read_chart(const std::filesystem::path& path) {
  chart::ArchiveLimits limits;
  limits.allow_plugin = true;  // helm plugin tarballs carry the same envelopes
  TRY(chart::ChartFileRead read, chart::read_chart_file(path, limits, [](ByteView) {}));
  if (!read.archive) return read.archive.error();  // it names the file
  return read;
}

}  // namespace

std::filesystem::path attestation_path(const std::filesystem::path& chart) {
  return chart.string() + std::string(kAttestationSuffix);
}

Result<AttestResult> attest_chart(const AttestRequest& req) {
  if (req.signer == nullptr || !req.signer->signer) return internal_error("no signer");
  const signer::Signer& s = *req.signer->signer;
  TRY_STATUS(sigstore::check_predicate_type(req.predicate_type));
  const std::filesystem::path out = attestation_path(req.chart);
  if (!req.force) TRY_STATUS(refuse_to_overwrite({out}));
  auto predicate = read_text_file(req.predicate, sigstore::kMaxPredicate);
  if (!predicate) return predicate.error().with_context("predicate");
  TRY(const chart::ChartFileRead read, read_chart(req.chart));
  const chart::ChartArchive& archive = *read.archive;
  const std::string file_name = req.chart.filename().string();
  const std::string expected = archive.metadata.name + "-" + archive.metadata.version + ".tgz";
  if (file_name != expected) {
    return input_error("refusing to attest " + file_name + ": a chart " + archive.metadata.name + " " +
                       archive.metadata.version + " must be named " + expected);
  }
  if (req.key_history) {
    TRY(const keys::KeyHistory history, load_key_history(*req.key_history));
    TRY_STATUS(check_signing_allowed(history, req.signer->key_id, archive.metadata.name));
  }
  TRY(const std::string statement,
      sigstore::write_statement(file_name, read.sha256_hex, req.predicate_type, *predicate));
  TRY_STATUS(check_predicate(req.predicate_type, *predicate));
  if (req.certificate) TRY_STATUS(check_signing_certificate(*req.certificate, s.public_key(), now_or(req.now)));

  const Bytes pae = sigstore::dsse_pae(sigstore::kInTotoPayloadType, as_bytes(statement));
  TRY(const Bytes signature, s.sign_message(pae));
  if (!cosign::verify_blob(s.public_key(), pae, signature)) {
    return verify_error(s.describe() + " made a signature that does not verify");
  }
  TRY(const Bytes key_id, crypto::spki_key_id_bytes(s.public_key()));
  const std::string bundle =
      req.certificate
          ? sigstore::write_certificate_dsse_bundle(sigstore::kInTotoPayloadType, as_bytes(statement), signature,
                                                    req.certificate->leaf.der())
          : sigstore::write_dsse_bundle(sigstore::kInTotoPayloadType, as_bytes(statement), signature, key_id);
  TRY_STATUS(atomic_write(out, bundle, 0644));

  AttestResult result;
  result.chart_name = archive.metadata.name;
  result.chart_version = archive.metadata.version;
  result.digest = "sha256:" + read.sha256_hex;
  result.key_id = req.signer->key_id;
  result.predicate_type = req.predicate_type;
  result.written = out;
  return result;
}

}  // namespace chartprov::app
