#include "app/keys/key_lifecycle.hpp"

#include <algorithm>
#include <cctype>

#include "app/keys/key_history_file.hpp"
#include "app/keys/openpgp_export.hpp"
#include "app/keys/signer_source.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/random.hpp"
#include "openpgp/openssl_key.hpp"
#include "signer/exec_signer.hpp"
#include "signer/pkcs11_list.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Result<std::string> openpgp_fingerprint_of(const crypto::PKey& key, std::uint32_t created) {
  TRY(const openpgp::PublicKey pgp, openpgp::openpgp_public_key(key, created));
  return hex_encode_upper(pgp.fingerprint);
}

}  // namespace

Result<RotateResult> rotate_key(const RotateRequest& req) {
  const std::int64_t now = now_or(req.now);
  TRY(keys::KeyHistory history, load_key_history_or_empty(req.history));
  TRY(const crypto::PrivateKeyFile current, crypto::read_private_key_file(req.current_key, req.current_passphrase));
  TRY(const std::string current_id, crypto::spki_key_id(current.key));
  TRY(const std::string algorithm, key_algorithm_name(current.key));
  static const char* const kGeneratable[] = {"ecdsa-p256", "ecdsa-p384", "rsa-3072", "rsa-4096", "ed25519"};
  if (std::find(std::begin(kGeneratable), std::end(kGeneratable), algorithm) == std::end(kGeneratable)) {
    return usage_error("cannot make a successor of the same kind for a " + algorithm + " key");
  }

  keys::KeyRecord* old_record = history.find(current_id);
  if (old_record == nullptr) {
    // First rotation of a key made before there was a history: record it.
    keys::KeyRecord r;
    r.id = current_id;
    r.algorithm = algorithm;
    r.created = r.not_before = current.info.created != 0 ? current.info.created : now;
    r.location = req.current_key.string();
    if (current.info.created != 0) {
      TRY(r.openpgp_fingerprint, openpgp_fingerprint_of(current.key, current.info.created));
    }
    history.keys.push_back(r);
    old_record = &history.keys.back();
  }
  if (old_record->status != keys::KeyStatus::kActive) {
    return usage_error("key " + current_id + " is " + std::string(keys::to_string(old_record->status)) +
                       "; only the active key is rotated");
  }

  KeyGenRequest gen;
  gen.algorithm = algorithm;
  gen.user_id = req.user_id.empty() ? current.info.user_id : req.user_id;
  gen.output_prefix = req.output_prefix;
  gen.passphrase = req.new_passphrase;
  gen.expires_after = req.expires_after;
  gen.now = now;
  gen.overwrite = req.overwrite;
  TRY(KeyGenResult successor, generate_signing_key(gen));

  // The new key's id comes from the file just written (proves it reads back).
  auto written = crypto::read_private_key_file(successor.key_file, req.new_passphrase);
  if (!written) return written.error().with_context("reading back the successor");
  TRY(const std::string new_id, crypto::spki_key_id(written->key));

  keys::KeyRecord active;
  active.id = new_id;
  active.algorithm = algorithm;
  active.created = active.not_before = now;
  if (req.expires_after) active.not_after = now + *req.expires_after;
  active.allowed_charts = old_record->allowed_charts;
  active.location = successor.key_file.string();
  active.openpgp_fingerprint = successor.fingerprint;

  old_record->status = keys::KeyStatus::kRetired;
  old_record->not_after = now;
  old_record->successor = new_id;
  const keys::KeyRecord retired = *old_record;
  history.keys.push_back(active);
  if (auto saved = save_key_history(req.history, history); !saved) {
    // Without the history the new key is not usable; leave nothing half-done.
    for (const auto& p : {successor.key_file, successor.public_binary, successor.public_armored}) {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
    return saved.error();
  }
  return RotateResult{std::move(successor), retired, active};
}

Result<RotateResult> rotate_token_key(const TokenRotateRequest& req) {
  const std::int64_t now = now_or(req.now);
  if (req.new_label.empty()) return usage_error("name the successor's token object (--new-object LABEL)");
  TRY(const std::string helper, pkcs11_helper_path());
  TRY(const auto current, signer::open_pkcs11_signer(req.current_uri, req.pin, helper));
  TRY(const std::string current_id, crypto::spki_key_id(current->public_key()));
  TRY(keys::KeyHistory history, load_key_history_or_empty(req.history));
  keys::KeyRecord* old_record = history.find(current_id);
  if (old_record == nullptr) {
    return usage_error("key " + current_id.substr(0, 16) + " is not in " + req.history.string() +
                       "; record it first: chartprov key export --openpgp --key URI --key-history " +
                       req.history.string());
  }
  if (old_record->status != keys::KeyStatus::kActive) {
    return usage_error("key " + current_id + " is " + std::string(keys::to_string(old_record->status)) +
                       "; only the active key is rotated");
  }
  // Before anything is generated on the token (the export checks again).
  if (!req.overwrite) {
    TRY_STATUS(refuse_to_overwrite({req.output_prefix.string() + ".pub.gpg", req.output_prefix.string() + ".pub.asc"}));
  }
  Bytes new_id(4);
  TRY_STATUS(crypto::random_fill(new_id));
  TRY(const crypto::PKey made,
      signer::generate_pkcs11_key_like(req.current_uri, req.pin, helper, req.new_label, new_id));
  const std::string new_uri = signer::pkcs11_uri_for_object(req.current_uri, req.new_label, new_id);
  OpenedSigner successor;
  TRY(successor.signer, signer::open_pkcs11_signer(new_uri, req.pin, helper));
  TRY(successor.key_id, crypto::spki_key_id(successor.signer->public_key()));
  TRY(const std::string made_id, crypto::spki_key_id(made));
  if (made_id != successor.key_id) return verify_error("the token answers for another key than the one it generated");

  OpenPgpExportRequest exp;
  exp.signer = &successor;
  exp.user_id = req.user_id;
  exp.created = static_cast<std::uint32_t>(now);
  exp.expires_after = req.expires_after;
  exp.output_prefix = req.output_prefix;
  exp.overwrite = req.overwrite;
  TRY(const OpenPgpExportResult cert, export_openpgp_certificate(exp));

  keys::KeyRecord active;
  active.id = successor.key_id;
  TRY(active.algorithm, key_algorithm_name(made));
  active.created = active.not_before = now;
  if (req.expires_after) active.not_after = now + *req.expires_after;
  active.allowed_charts = old_record->allowed_charts;
  active.location = signer::redact_pkcs11_uri(new_uri);
  active.openpgp_fingerprint = cert.fingerprint;
  old_record->status = keys::KeyStatus::kRetired;
  old_record->not_after = now;
  old_record->successor = active.id;
  const keys::KeyRecord retired = *old_record;
  history.keys.push_back(active);
  TRY_STATUS(save_key_history(req.history, history));
  RotateResult out;
  out.successor.key_file = active.location;
  out.successor.public_binary = cert.binary;
  out.successor.public_armored = cert.armored;
  out.successor.fingerprint = cert.fingerprint;
  out.successor.algorithm = active.algorithm;
  out.retired = retired;
  out.active = active;
  return out;
}

Result<keys::KeyRecord> revoke_key(const RevokeRequest& req) {
  const std::int64_t now = now_or(req.now);
  TRY(keys::KeyHistory history, load_key_history(req.history));
  const std::string wanted = lower(req.key);
  keys::KeyRecord* record = nullptr;
  for (auto& k : history.keys) {
    if (k.id == wanted || (!k.openpgp_fingerprint.empty() && lower(k.openpgp_fingerprint) == wanted)) record = &k;
  }
  if (record == nullptr) return input_error("no key " + req.key + " in " + req.history.string());
  if (req.reason.empty()) return usage_error("say why the key is revoked (--reason)");
  if (record->status == keys::KeyStatus::kRevoked && !(req.compromised && !record->compromised)) {
    return input_error("key " + record->id + " is already revoked");
  }
  record->status = keys::KeyStatus::kRevoked;
  record->revoked_at = req.at.value_or(now);
  record->reason = req.reason;
  record->compromised = record->compromised || req.compromised;
  TRY_STATUS(save_key_history(req.history, history));
  return *record;
}

}  // namespace chartprov::app
