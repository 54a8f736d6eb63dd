#include "app/sign/sign_envelopes.hpp"

#include <algorithm>

#include "app/helpers/blob_staged_files.hpp"
#include "app/helpers/openpgp_bridge.hpp"
#include "app/keys/key_history_file.hpp"
#include "app/sign/sign_external.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/cosign/blob_signature.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "envelope/sigstore/bundle_writer.hpp"
#include "envelope/sigstore/log_key.hpp"
#include "infra/openssl/digest.hpp"
#include "infra/openssl/key_id.hpp"
#include "openpgp/cert.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

struct Output {
  std::filesystem::path path;
  std::string content;
};

bool has_format(const std::vector<EnvelopeFormat>& formats, EnvelopeFormat f) {
  return std::find(formats.begin(), formats.end(), f) != formats.end();
}

// The entry that logs the bundle's message signature.
Result<tlog::ChartEntry> bundle_entry(const chart::ChartArchive& archive, const signer::Signer& s,
                                      const std::optional<SigningCertificate>& certificate, ByteView digest,
                                      ByteView signature) {
  tlog::ChartEntry e;
  e.kind = tlog::EntryKind::hashedrekord;
  e.event = {archive.metadata.name, archive.metadata.version, "sigstore-bundle", 0};
  e.digest.assign(digest.begin(), digest.end());
  e.signature.assign(signature.begin(), signature.end());
  if (certificate) {
    e.certificate = certificate->leaf.der();
  } else {
    TRY(e.public_key, crypto::spki_der(s.public_key()));
  }
  TRY(e.key_details, sigstore::key_details_of(s.public_key()));
  return e;
}

}  // namespace

std::filesystem::path prov_tlog_path(const std::filesystem::path& prov) { return prov.string() + ".tlog.json"; }

Result<std::vector<EnvelopeFormat>> parse_envelope_formats(std::string_view list) {
  std::vector<EnvelopeFormat> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const std::string_view item =
        list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    EnvelopeFormat f{};
    if (item == "prov" || item == "helm-prov") {
      f = EnvelopeFormat::kProv;
    } else if (item == "cosign-blob") {
      f = EnvelopeFormat::kCosignBlob;
    } else if (item == "sigstore-bundle") {
      f = EnvelopeFormat::kSigstoreBundle;
    } else {
      return usage_error("unknown format '" + std::string(item) + "' (formats: prov, cosign-blob, sigstore-bundle)");
    }
    for (const auto g : out) {
      if (g == f) return usage_error("format '" + std::string(item) + "' is given twice");
    }
    out.push_back(f);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<EnvelopeSignResult> sign_envelopes(const EnvelopeSignRequest& req) {
  if (req.signer == nullptr || !req.signer->signer) return internal_error("no signer");
  if (req.formats.empty()) return usage_error("no format to write");
  if (req.certificate &&
      std::find(req.formats.begin(), req.formats.end(), EnvelopeFormat::kSigstoreBundle) == req.formats.end()) {
    return usage_error("a certificate goes into the Sigstore bundle: add sigstore-bundle to --format");
  }
  if (req.log && !has_format(req.formats, EnvelopeFormat::kProv) &&
      !has_format(req.formats, EnvelopeFormat::kSigstoreBundle)) {
    return usage_error("--log logs the prov and sigstore-bundle signatures: add one to --format");
  }
  const std::int64_t now = now_or(req.now);
  const signer::Signer& s = *req.signer->signer;
  // One read: the bytes signed are the bytes whose metadata is checked.
  TRY(const Bytes bytes, read_file(req.chart, chart::kMaxChartArchive));
  auto parsed = chart::read_chart_archive_bytes(bytes);
  if (!parsed) return parsed.error().with_context(req.chart.string());
  const chart::ChartArchive archive = std::move(parsed).value();
  const std::string file_name = req.chart.filename().string();
  const std::string expected = archive.metadata.name + "-" + archive.metadata.version + ".tgz";
  if (file_name != expected) {
    return input_error("refusing to sign " + file_name + ": a chart " + archive.metadata.name + " " +
                       archive.metadata.version + " must be named " + expected);
  }
  std::optional<keys::KeyHistory> history;
  if (req.key_history) {
    TRY(history, load_key_history(*req.key_history));
    TRY_STATUS(check_signing_allowed(*history, req.signer->key_id, archive.metadata.name));
  }
  if (req.certificate) TRY_STATUS(check_signing_certificate(*req.certificate, s.public_key(), now));

  EnvelopeSignResult out;
  out.key_id = req.signer->key_id;
  out.chart.chart_name = archive.metadata.name;
  out.chart.chart_version = archive.metadata.version;
  out.chart.digest = "sha256:" + archive.sha256_hex;
  if (!req.signer->user_id.empty()) out.chart.user_ids.push_back(req.signer->user_id);

  std::vector<Output> outputs;
  std::optional<Bytes> blob_signature;
  const auto blob_sig = [&]() -> Result<Bytes> {
    if (!blob_signature) {
      TRY(Bytes sig, s.sign_message(bytes));
      if (!cosign::verify_blob(s.public_key(), bytes, sig)) {
        return verify_error(s.describe() + " made a signature that does not verify");
      }
      blob_signature = std::move(sig);
    }
    return *blob_signature;
  };
  for (const auto format : req.formats) {
    switch (format) {
      case EnvelopeFormat::kProv: {
        auto when = openpgp_creation_time(*req.signer, req.openpgp_created, history ? &*history : nullptr);
        if (!when) {
          // Keys made by cosign (or an HSM) carry no OpenPGP creation time; the other envelopes need none.
          return Error{when.error().kind, when.error().message + "; or leave the .prov out: --format cosign-blob"};
        }
        const std::uint32_t created = *when;
        TRY(const auto pgp, openpgp_signer_for(s, created));
        TRY(const std::string block,
            envelope::prov::build_message_block(archive.chart_yaml, file_name, archive.sha256_hex));
        TRY(const std::string data, envelope::prov::signed_text_for(block));
        openpgp::SignOptions opts;
        opts.hash = openpgp::HashAlgo::kSha512;
        opts.created = static_cast<std::uint32_t>(now);
        TRY(const Bytes packet, openpgp::make_signature_packet(*pgp, opts, as_bytes(data)));
        out.chart.prov = req.chart.string() + ".prov";
        out.chart.fingerprint = hex_encode_upper(pgp->public_key().fingerprint);
        std::string prov = envelope::prov::write_cleartext(block, "SHA512", packet);
        if (req.log) {
          tlog::ChartEntry e;
          e.kind = tlog::EntryKind::helm_prov;
          e.event = {archive.metadata.name, archive.metadata.version, "prov", 0};
          TRY(e.digest, hex_decode(archive.sha256_hex));
          e.provenance.assign(prov.begin(), prov.end());
          TRY(e.openpgp_key, openpgp::build_certificate(*pgp, req.signer->user_id, created, std::nullopt));
          TRY(const sigstore::TlogEntry logged, submit_to_log(*req.log, e));
          outputs.push_back({prov_tlog_path(out.chart.prov), sigstore::write_tlog_entry(logged)});
        }
        outputs.push_back({out.chart.prov, std::move(prov)});
        break;
      }
      case EnvelopeFormat::kCosignBlob: {
        TRY(const Bytes sig, blob_sig());
        outputs.push_back({req.chart.string() + ".sig", cosign::encode_signature_file(sig)});
        break;
      }
      case EnvelopeFormat::kSigstoreBundle: {
        if (crypto::key_type(s.public_key()) == crypto::KeyType::kEd25519) {
          return usage_error(
              "Sigstore bundles with Ed25519 keys need Ed25519ph, which this OpenSSL lacks; use an ECDSA or RSA key");
        }
        TRY(const Bytes sig, blob_sig());
        TRY(const Bytes key_id, crypto::spki_key_id_bytes(s.public_key()));
        TRY(const crypto::DigestAlg alg, cosign::blob_digest_alg(s.public_key()));
        const char* name = alg == crypto::DigestAlg::kSha384   ? "SHA2_384"
                           : alg == crypto::DigestAlg::kSha512 ? "SHA2_512"
                                                               : "SHA2_256";
        TRY(auto digest, crypto::Digest::create(alg));
        digest.update(bytes);
        const Bytes artifact_digest = digest.finish();
        std::vector<sigstore::TlogEntry> entries;
        if (req.log) {
          if (alg != crypto::DigestAlg::kSha256) {
            return usage_error("--log needs a key that signs a SHA-256 digest (ECDSA P-256 or RSA)");
          }
          TRY(const tlog::ChartEntry e, bundle_entry(archive, s, req.certificate, artifact_digest, sig));
          TRY(sigstore::TlogEntry logged, submit_to_log(*req.log, e));
          entries.push_back(std::move(logged));
        }
        outputs.push_back({req.chart.string() + ".sigstore.json",
                           req.certificate
                               ? sigstore::write_certificate_message_bundle(name, artifact_digest, sig,
                                                                            req.certificate->leaf.der(), entries)
                               : sigstore::write_message_bundle(name, artifact_digest, sig, key_id, entries)});
        break;
      }
    }
  }
  // All or nothing: a failed write must not leave a new .prov beside an old .sig.
  std::vector<StagedFile> staged;
  for (auto& o : outputs) staged.push_back({o.path, std::move(o.content), 0644});
  TRY_STATUS(write_all_or_nothing(staged));
  for (const auto& o : outputs) out.written.push_back(o.path);
  return out;
}

}  // namespace chartprov::app
