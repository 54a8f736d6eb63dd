#include "app/keys/openpgp_export.hpp"

#include "app/helpers/openpgp_bridge.hpp"
#include "app/keys/key_history_file.hpp"
#include "app/keys/key_record.hpp"
#include "app/keys/keygen.hpp"
#include "openpgp/armor.hpp"
#include "openpgp/cert.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {

Result<OpenPgpExportResult> export_openpgp_certificate(const OpenPgpExportRequest& req) {
  if (req.signer == nullptr || !req.signer->signer) return internal_error("no signer");
  TRY_STATUS(validate_user_id(req.user_id));
  if (req.output_prefix.empty()) return usage_error("--output PREFIX is required");
  OpenPgpExportResult out;
  out.binary = req.output_prefix.string() + ".pub.gpg";
  out.armored = req.output_prefix.string() + ".pub.asc";
  if (!req.overwrite) TRY_STATUS(refuse_to_overwrite({out.binary, out.armored}));
  const auto now = now_or(req.now);
  std::optional<keys::KeyHistory> history;
  if (req.key_history) {
    TRY(history, load_key_history_or_empty(*req.key_history));
  }
  auto created = openpgp_creation_time(*req.signer, req.created, history ? &*history : nullptr);
  // A key seen for the first time gets its identity now; the history keeps it.
  out.created = created.ok() ? *created : static_cast<std::uint32_t>(now);
  if (!created.ok() && !history) {
    return usage_error("give --created (any fixed time; the fingerprint depends on it) or --key-history to record it");
  }
  TRY(const auto pgp, openpgp_signer_for(*req.signer->signer, out.created));
  TRY(const Bytes cert, openpgp::build_certificate(*pgp, req.user_id, out.created, req.expires_after));
  out.fingerprint = hex_encode_upper(pgp->public_key().fingerprint);

  if (history && history->find(req.signer->key_id) == nullptr) {
    keys::KeyRecord record;
    record.id = req.signer->key_id;
    TRY(record.algorithm, key_algorithm_name(req.signer->signer->public_key()));
    record.created = out.created;
    record.not_before = out.created;
    if (req.expires_after) record.not_after = static_cast<std::int64_t>(out.created) + *req.expires_after;
    record.location = req.location;
    record.openpgp_fingerprint = out.fingerprint;
    TRY_STATUS(record_new_key(*req.key_history, record));
    out.recorded = true;
  }
  TRY_STATUS(atomic_write(out.binary, ByteView(cert), 0644));
  if (auto s = atomic_write(out.armored, openpgp::armor(cert, "PUBLIC KEY BLOCK"), 0644); !s) {
    std::filesystem::remove(out.binary);
    return s.error();
  }
  return out;
}

}  // namespace chartprov::app
