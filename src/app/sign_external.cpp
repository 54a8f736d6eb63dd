#include "app/sign_external.hpp"

#include <ctime>

#include "app/key_history_file.hpp"
#include "app/openpgp_bridge.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {

Result<std::uint32_t> openpgp_creation_time(const OpenedSigner& signer, std::uint32_t explicit_created,
                                            const keys::KeyHistory* history) {
  if (explicit_created != 0) return explicit_created;
  if (signer.openpgp_created != 0) return signer.openpgp_created;
  if (history != nullptr) {
    if (const auto* record = history->find(signer.key_id); record != nullptr && record->created > 0) {
      return static_cast<std::uint32_t>(record->created);
    }
  }
  return usage_error("the OpenPGP identity of " + signer.signer->describe() +
                     " needs its creation time: give --key-history with the key recorded by `key export --openpgp`, "
                     "or --created with the value used at export");
}

Status check_signing_allowed(const keys::KeyHistory& history, const std::string& key_id, const std::string& chart_name) {
  const keys::KeyRecord* record = history.find(key_id);
  if (record == nullptr) return verify_error("key " + key_id + " is not in the key history; record it first");
  if (record->status != keys::KeyStatus::kActive) {
    return verify_error("key " + key_id.substr(0, 16) + " is " + std::string(keys::to_string(record->status)) +
                        (record->successor.empty() ? std::string() : "; sign with its successor " + record->successor.substr(0, 16)));
  }
  const auto allowed = keys::check_chart_allowed(*record, chart_name);
  if (!allowed.ok) return verify_error(allowed.reason);
  return ok_status();
}

Result<SignResult> sign_chart_with(const ExternalSignRequest& req) {
  if (req.signer == nullptr || !req.signer->signer) return internal_error("no signer");
  TRY(const chart::ChartArchive archive, chart::read_chart_archive(req.chart));
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
  TRY(const std::uint32_t created, openpgp_creation_time(*req.signer, req.openpgp_created, history ? &*history : nullptr));
  TRY(const auto pgp, openpgp_signer_for(*req.signer->signer, created));

  TRY(const std::string block, envelope::prov::build_message_block(archive.chart_yaml, file_name, archive.sha256_hex));
  TRY(const std::string data, envelope::prov::signed_text_for(block));
  openpgp::SignOptions opts;
  opts.hash = openpgp::HashAlgo::kSha512;
  opts.created = static_cast<std::uint32_t>(req.now != 0 ? req.now : std::time(nullptr));
  TRY(const Bytes packet, openpgp::make_signature_packet(*pgp, opts, as_bytes(data)));
  const std::string prov = envelope::prov::write_cleartext(block, "SHA512", packet);

  SignResult out;
  out.prov = req.chart.string() + ".prov";
  TRY_STATUS(atomic_write(out.prov, prov, 0644));
  out.fingerprint = hex_encode_upper(pgp->public_key().fingerprint);
  if (!req.signer->user_id.empty()) out.user_ids.push_back(req.signer->user_id);
  out.chart_name = archive.metadata.name;
  out.chart_version = archive.metadata.version;
  out.digest = "sha256:" + archive.sha256_hex;
  return out;
}

}  // namespace chartprov::app
