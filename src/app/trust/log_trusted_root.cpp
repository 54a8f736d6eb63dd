#include "app/trust/log_trusted_root.hpp"

#include "envelope/sigstore/trusted_root.hpp"
#include "infra/openssl/key_file.hpp"
#include "infra/openssl/spki.hpp"
#include "tlog/log_id.hpp"
#include "util/file.hpp"
#include "util/url.hpp"

namespace chartprov::app {

Result<std::string> make_log_trusted_root(const LogTrustedRootRequest& req) {
  TRY(sigstore::WrittenLog log, written_log(req));
  return sigstore::write_trusted_root({std::move(log)}, {}, {});
}

Result<sigstore::WrittenLog> written_log(const LogTrustedRootRequest& req) {
  auto url = parse_http_url(req.url);
  if (!url) return usage_error("--url: " + url.error().message);
  if (url->has_credentials || req.url.find_first_of("?#") != std::string::npos) {
    return usage_error("--url names the log's base: no credentials, query or fragment");
  }
  TRY(const std::string host, sigstore::log_origin_of(req.url));
  if (req.origin && *req.origin != host) {
    return usage_error("--origin " + *req.origin + " is not the URL's host " + host +
                       ": Sigstore verifiers read the log's name from its baseUrl; serve the log at a URL whose host "
                       "is " +
                       *req.origin);
  }
  TRY(const std::string pem, read_text_file(req.public_key, crypto::kMaxKeyFileSize));
  auto key = crypto::parse_public_key_pem(pem);
  if (!key) return key.error().with_context(req.public_key.string());
  auto id = tlog::tile_log_id(*key, host);
  if (!id) return id.error().with_context(req.public_key.string());
  TRY(Bytes spki, crypto::spki_der(*key));
  sigstore::WrittenLog log;
  log.base_url = req.url;
  while (log.base_url.size() > 1 && log.base_url.back() == '/') log.base_url.pop_back();
  log.key_details = "PKIX_ED25519";
  log.spki = std::move(spki);
  log.log_id = std::move(*id);
  log.valid.start = req.valid_from;
  return log;
}

}  // namespace chartprov::app
