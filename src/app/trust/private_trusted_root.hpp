#pragma once
// `chartprov trusted-root create`: a Sigstore trusted root for a team's own
// CA (docs/KEY-MANAGEMENT.md, "Signing with your own CA"), written from the
// PEM files of its certificate chains, as `cosign trusted-root create
// --certificate-chain ... --timestamp-certificate-chain ...` takes them. The
// verifier then checks a bundle's certificate against it (no transparency
// log, no CT log: a private CA's bundles carry neither).
#include <filesystem>
#include <string>
#include <vector>

#include "app/trust/log_trusted_root.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct PrivateTrustedRootRequest {
  // One certificate authority per file: its CA certificates, the one that
  // issues signing certificates first, the self-signed root last.
  std::vector<std::filesystem::path> certificate_chains;
  // One RFC 3161 timestamp authority per file: its signing certificate first,
  // the self-signed root last.
  std::vector<std::filesystem::path> timestamp_chains;
  // chartprov transparency logs to list (--tlog-url/--tlog-key), as
  // `log trusted-root` writes them.
  std::vector<LogTrustedRootRequest> logs;
};

// The trusted root's JSON (sigstore::write_trusted_root). Each authority's
// validFor is when all of its certificates are valid: from the latest
// notBefore to the earliest notAfter. Reads only the files. Refusals (input
// errors, each prefixed with the file's path): no --certificate-chain and no
// log ("name at least one CA with --certificate-chain", a usage error);
// written_log's refusals for each log; what
// read_text_file and read_pem_certificates refuse; a certificate not issued
// by the next one ("certificate N (SUBJECT) is not issued by certificate N+1
// (SUBJECT): give the chain in order, the root last"); a last certificate that
// is not self-signed ("certificate N (SUBJECT) is not a self-signed root");
// in a CA chain, a certificate that is not a CA ("certificate N (SUBJECT) is
// not a CA certificate: a --certificate-chain holds the CA certificates, not
// the signing certificate"); a timestamp chain of one certificate, or whose
// first is a CA ("a --timestamp-certificate-chain starts with the timestamp
// authority's own certificate, then its CA certificates"); certificates that
// are never valid at the same time ("its certificates are never valid at the
// same time").
Result<std::string> make_private_trusted_root(const PrivateTrustedRootRequest& request);

}  // namespace chartprov::app
