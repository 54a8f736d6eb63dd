#include "app/trust/private_trusted_root.hpp"

#include <algorithm>

#include "envelope/sigstore/certificate_pem.hpp"
#include "envelope/sigstore/trusted_root_writer.hpp"
#include "util/file.hpp"

namespace chartprov::app {
namespace {

std::string named(const std::vector<crypto::Certificate>& chain, std::size_t i) {
  return "certificate " + std::to_string(i + 1) + " (" + chain[i].subject_text() + ")";
}

// The chain of one authority, each certificate issued by the next, the last self-signed.
Result<std::vector<crypto::Certificate>> read_chain(const std::filesystem::path& path) {
  TRY(const std::string text, read_text_file(path, sigstore::kMaxCertificateFile));
  auto chain = sigstore::read_pem_certificates(text);
  if (!chain) return chain.error().with_context(path.string());
  for (std::size_t i = 0; i + 1 < chain->size(); ++i) {
    if (!(*chain)[i + 1].issued((*chain)[i])) {
      return input_error(path.string() + ": " + named(*chain, i) + " is not issued by " + named(*chain, i + 1) +
                         ": give the chain in order, the root last");
    }
  }
  const crypto::Certificate& root = chain->back();
  if (!root.issued(root))
    return input_error(path.string() + ": " + named(*chain, chain->size() - 1) + " is not a self-signed root");
  return chain;
}

// From the latest notBefore to the earliest notAfter of the chain.
Result<sigstore::ValidFor> common_validity(const std::filesystem::path& path,
                                           const std::vector<crypto::Certificate>& chain) {
  sigstore::ValidFor valid;
  valid.start = chain.front().not_before();
  std::int64_t end = chain.front().not_after();
  for (const auto& c : chain) {
    valid.start = std::max(valid.start, c.not_before());
    end = std::min(end, c.not_after());
  }
  if (end < valid.start) return input_error(path.string() + ": its certificates are never valid at the same time");
  valid.end = end;
  return valid;
}

std::vector<Bytes> ders(const std::vector<crypto::Certificate>& chain) {
  std::vector<Bytes> out;
  for (const auto& c : chain) out.push_back(c.der());
  return out;
}

}  // namespace

Result<std::string> make_private_trusted_root(const PrivateTrustedRootRequest& request) {
  if (request.certificate_chains.empty() && request.logs.empty())
    return usage_error("name at least one CA with --certificate-chain");
  std::vector<sigstore::CertificateAuthority> cas;
  for (const auto& path : request.certificate_chains) {
    TRY(const auto chain, read_chain(path));
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (!chain[i].is_ca()) {
        return input_error(path.string() + ": " + named(chain, i) +
                           " is not a CA certificate: a --certificate-chain holds the CA certificates, not the "
                           "signing certificate");
      }
    }
    sigstore::CertificateAuthority ca;
    ca.chain = ders(chain);
    TRY(ca.valid, common_validity(path, chain));
    cas.push_back(std::move(ca));
  }
  std::vector<sigstore::TimestampAuthority> tsas;
  for (const auto& path : request.timestamp_chains) {
    TRY(const auto chain, read_chain(path));
    if (chain.size() < 2 || chain.front().is_ca()) {
      return input_error(path.string() +
                         ": a --timestamp-certificate-chain starts with the timestamp authority's own certificate, "
                         "then its CA certificates");
    }
    sigstore::TimestampAuthority tsa;
    tsa.chain = ders(chain);
    TRY(tsa.valid, common_validity(path, chain));
    tsas.push_back(std::move(tsa));
  }
  std::vector<sigstore::WrittenLog> logs;
  for (const auto& l : request.logs) {
    TRY(sigstore::WrittenLog log, written_log(l));
    logs.push_back(std::move(log));
  }
  return sigstore::write_trusted_root(logs, cas, tsas);
}

}  // namespace chartprov::app
