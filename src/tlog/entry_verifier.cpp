#include "tlog/entry_verifier.hpp"

#include <string>

#include "infra/openssl/pkey.hpp"
#include "infra/openssl/spki.hpp"
#include "util/encoding.hpp"

namespace chartprov::tlog {
namespace {

constexpr std::string_view kNotPem = "the log entry's key is not one PEM public key or certificate";

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

Result<EntryVerifier> verifier_from_pem(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kDashes = "-----";
  const auto begin = pem.find(kBegin);
  if (begin == std::string_view::npos || !is_blank(pem.substr(0, begin))) return verify_error(std::string(kNotPem));
  std::string_view rest = pem.substr(begin + kBegin.size());
  const auto label_end = rest.find(kDashes);
  if (label_end == std::string_view::npos) return verify_error(std::string(kNotPem));
  const std::string_view label = rest.substr(0, label_end);
  EntryVerifier out;
  if (label == "CERTIFICATE") {
    out.kind = EntryVerifier::Kind::kCertificate;
  } else if (label != "PUBLIC KEY") {
    return verify_error(std::string(kNotPem));
  }
  rest.remove_prefix(label_end + kDashes.size());
  const std::string end_line = "-----END " + std::string(label) + "-----";
  const auto end = rest.find(end_line);
  if (end == std::string_view::npos || !is_blank(rest.substr(end + end_line.size())))
    return verify_error(std::string(kNotPem));
  auto der = base64_decode(rest.substr(0, end));  // skips blanks and line ends
  if (!der || der->empty()) return verify_error(std::string(kNotPem));
  out.der = std::move(*der);
  return out;
}

Status check_verifier(const EntryVerifier& found, const ExpectedEntry& expected) {
  const bool is_certificate = found.kind == EntryVerifier::Kind::kCertificate;
  if (expected.certificate_der) {
    if (!is_certificate) return verify_error("the log entry names a public key, not the bundle's certificate");
    if (found.der != *expected.certificate_der) return verify_error("the log entry names another certificate");
    return ok_status();
  }
  if (expected.spki) {
    if (is_certificate) return verify_error("the log entry names a certificate, not the bundle's public key");
    auto key = crypto::parse_spki_der(found.der);
    if (!key) return verify_error("the log entry names another public key");
    auto spki = crypto::spki_der(*key);
    if (!spki || *spki != *expected.spki) return verify_error("the log entry names another public key");
    return ok_status();
  }
  return verify_error("nothing to compare the log entry's key with");
}

}  // namespace chartprov::tlog
