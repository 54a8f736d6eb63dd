#pragma once
// `chartprov log trusted-root`: a Sigstore trusted root (trusted_root.json)
// that lists chartprov's own transparency log (`chartprov log serve`), so that
// sigstore-js, cosign and chartprov's --trusted-root check its entries.
//
// The log is written as a Rekor v2 (tile) log: baseUrl the log's URL, its
// Ed25519 key (PKIX_ED25519, the SPKI), and logId.keyId its C2SP key id,
// SHA-256(origin || 0x0A || 0x01 || 32-byte key), whose first 4 bytes are the
// key id of its checkpoint signatures. The origin is the URL's host: the
// name the log signs its checkpoints under, which Sigstore verifiers derive
// from the baseUrl (sigstore-js matches the signer name against it).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "envelope/sigstore/trusted_root_writer.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct LogTrustedRootRequest {
  std::string url;                    // the log's base URL (http:// or https://)
  std::filesystem::path public_key;   // PEM "PUBLIC KEY" of the log's Ed25519 key
  std::optional<std::string> origin;  // must be the URL's host when given
  std::int64_t valid_from = 0;        // validFor.start (unix seconds)
};

// The trusted root's JSON. Reads only the key file. Refusals (usage errors
// unless said): a URL that is not http(s) with a host ("--url: ..."), or that
// has user:password@, a query or a fragment ("--url names the log's base: no
// credentials, query or fragment"); an origin other than the URL's host
// ("--origin NAME is not the URL's host HOST: Sigstore verifiers read the
// log's name from its baseUrl; serve the log at a URL whose host is NAME");
// the key file's read and parse errors (input errors, with the path); a key
// that is not Ed25519 (input error, "PATH: a log key is Ed25519").
Result<std::string> make_log_trusted_root(const LogTrustedRootRequest& request);

// The log as make_log_trusted_root writes it (same refusals), for a trusted
// root that lists other authorities too (`trusted-root create --tlog-url`).
Result<sigstore::WrittenLog> written_log(const LogTrustedRootRequest& request);

}  // namespace chartprov::app
