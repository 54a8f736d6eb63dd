#include "app/keys/key_list.hpp"

#include "app/keys/key_history_file.hpp"
#include "app/keys/key_record.hpp"
#include "app/keys/signer_source.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/key_id.hpp"
#include "infra/openssl/spki.hpp"
#include "openpgp/key.hpp"
#include "openpgp/openssl_key.hpp"
#include "openpgp/packet.hpp"
#include "signer/pkcs11_list.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

namespace fs = std::filesystem;

// A chartprov key file PREFIX.key is described by its certificate
// PREFIX.pub.gpg; a cosign key PREFIX.key by PREFIX.pub. Nothing is decrypted.
void describe_key_file(const fs::path& key_file, ListedKey& out) {
  const std::string prefix = key_file.string().substr(0, key_file.string().size() - 4);
  if (auto cert = read_file(prefix + ".pub.gpg", crypto::kMaxKeyFileSize); cert.ok()) {
    auto packets = openpgp::read_packets(*cert);
    if (packets.ok() && !packets->empty() && (*packets)[0].tag == 6) {
      if (auto pgp = openpgp::parse_public_key((*packets)[0].body); pgp.ok()) {
        out.fingerprint = hex_encode_upper(pgp->fingerprint);
        if (auto pkey = openpgp::to_openssl_public_key(*pgp); pkey.ok()) {
          if (auto id = crypto::spki_key_id(*pkey); id.ok()) out.key_id = *id;
          if (auto alg = key_algorithm_name(*pkey); alg.ok()) out.algorithm = *alg;
        }
      }
      for (const auto& p : *packets) {
        if (p.tag == 13) {
          out.user_id.assign(as_chars(p.body));
          break;
        }
      }
    }
    return;
  }
  if (auto pem = read_text_file(prefix + ".pub", crypto::kMaxKeyFileSize); pem.ok()) {
    if (auto pkey = crypto::parse_public_key_pem(*pem); pkey.ok()) {
      if (auto id = crypto::spki_key_id(*pkey); id.ok()) out.key_id = *id;
      if (auto alg = key_algorithm_name(*pkey); alg.ok()) out.algorithm = *alg;
    }
  }
}

}  // namespace

Result<std::vector<ListedKey>> list_keys(const KeyListRequest& req) {
  std::vector<ListedKey> out;
  for (const auto& path : req.histories) {
    TRY(const keys::KeyHistory history, load_key_history(path));
    for (const auto& k : history.keys) {
      out.push_back({"history", k.location.empty() ? path.string() : k.location, k.id, k.openpgp_fingerprint,
                     k.algorithm, std::string(keys::to_string(k.status)), ""});
    }
  }
  for (const auto& dir : req.dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return input_error(dir.string() + " is not a directory");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".key") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      ListedKey k{"file", f.string(), "", "", "", "", ""};
      describe_key_file(f, k);
      out.push_back(std::move(k));
    }
  }
  for (const auto& uri : req.tokens) {
    TRY(const std::string helper, pkcs11_helper_path());
    TRY(const auto token_keys, signer::list_pkcs11_keys(uri, req.pin, helper));
    const std::string base = signer::redact_pkcs11_uri(uri.substr(0, uri.find('?')));
    for (const auto& t : token_keys) {
      ListedKey k{"token", base + ";object=" + t.label, "", "", "", "", ""};
      if (t.public_key) {
        if (auto id = crypto::spki_key_id(t.public_key); id.ok()) k.key_id = *id;
        if (auto alg = key_algorithm_name(t.public_key); alg.ok()) k.algorithm = *alg;
      }
      out.push_back(std::move(k));
    }
  }
  return out;
}

}  // namespace chartprov::app
