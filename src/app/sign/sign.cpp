#include "app/sign/sign.hpp"

#include "app/sign/gnupg_signing.hpp"
#include "chart/archive_reader.hpp"
#include "envelope/prov/cleartext.hpp"
#include "envelope/prov/message_block.hpp"
#include "infra/openssl/key_file.hpp"
#include "openpgp/openssl_signer.hpp"
#include "openpgp/signer.hpp"
#include "util/clock.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

constexpr openpgp::HashAlgo kHash = openpgp::HashAlgo::kSha512;

struct Signed {
  Bytes packet;
  std::string fingerprint;
  std::vector<std::string> user_ids;
};

Result<Signed> sign_with_key_file(const SignRequest& req, std::string_view data, std::uint32_t now) {
  // An unencrypted file needs no passphrase: it is asked for only when the file is encrypted.
  TRY(crypto::PrivateKeyFile file, crypto::read_private_key_file_asking(req.signer.path, req.passphrase));
  const std::uint32_t created = file.info.created;
  std::vector<std::string> uids;
  if (!file.info.user_id.empty()) uids.push_back(file.info.user_id);
  TRY(auto signer, openpgp::OpenSslSigner::create(std::move(file.key), created));
  openpgp::SignOptions opts;
  opts.hash = kHash;
  opts.created = now;
  TRY(Bytes packet, openpgp::make_signature_packet(*signer, opts, as_bytes(data)));
  return Signed{std::move(packet), hex_encode_upper(signer->public_key().fingerprint), std::move(uids)};
}

Result<Signed> sign_with_gnupg_key(const SignRequest& req, std::string_view data, std::uint32_t now) {
  GnupgSignRequest g;
  g.source = req.signer.path;
  g.key = req.signer.key_name;
  g.created = now;
  g.data = to_bytes(data);
  if (req.passphrase_given && req.passphrase) {
    TRY(g.passphrase, req.passphrase());
  }
  auto r = sign_with_gnupg(g);
  // A protected key and no passphrase yet: ask (prompt) and try once more.
  if (!r.ok() && !req.passphrase_given && req.passphrase && r.error().message.find("passphrase") != std::string::npos) {
    TRY(g.passphrase, req.passphrase());
    r = sign_with_gnupg(g);
  }
  if (!r.ok()) return r.error();
  return Signed{std::move(r->signature), r->fingerprint, r->user_ids};
}

}  // namespace

Result<SignResult> sign_chart(const SignRequest& req) {
  TRY(const chart::ChartArchive archive, chart::read_chart_archive(req.chart));
  const std::string file_name = req.chart.filename().string();
  const std::string expected = archive.metadata.name + "-" + archive.metadata.version + ".tgz";
  if (file_name != expected) {
    return input_error("refusing to sign " + file_name + ": a chart " + archive.metadata.name + " " +
                       archive.metadata.version + " must be named " + expected);
  }
  TRY(const std::string block, envelope::prov::build_message_block(archive.chart_yaml, file_name, archive.sha256_hex));
  TRY(const std::string data, envelope::prov::signed_text_for(block));
  const auto now = static_cast<std::uint32_t>(now_or(req.now));
  Result<Signed> signed_ = req.signer.kind == SignerSpec::Kind::kKeyFile ? sign_with_key_file(req, data, now)
                                                                         : sign_with_gnupg_key(req, data, now);
  if (!signed_.ok()) return signed_.error();
  const std::string prov = envelope::prov::write_cleartext(block, "SHA512", signed_->packet);

  SignResult out;
  out.prov = req.chart.string() + ".prov";
  TRY_STATUS(atomic_write(out.prov, prov, 0644));
  out.fingerprint = signed_->fingerprint;
  out.user_ids = signed_->user_ids;
  out.chart_name = archive.metadata.name;
  out.chart_version = archive.metadata.version;
  out.digest = "sha256:" + archive.sha256_hex;
  return out;
}

}  // namespace chartprov::app
