// libFuzzer target for the Fulcio identity: the extension-value decoder
// (DER UTF8String and raw) on the input itself, then the input as a DER
// certificate with everything a keyless verification reads from it (identity,
// SANs, EKU, the SCT list, the TBSCertificate without it). Nothing crashes;
// decoded text is bounded UTF-8 without NUL, an identity has a subject and an
// issuer and only Fulcio's claim names.
// Seeds: fuzz/corpus/certificate_identity (the vectors' leaves, DER).
// fuzz-seeds: *.cert.der
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/certificate_identity.hpp"
#include "envelope/sigstore/sct.hpp"
#include "fuzz_check.hpp"
#include "util/utf8.hpp"

using namespace chartprov;

namespace {

void check_text(const Result<std::string>& text) {
  if (!text.ok()) return;
  fuzz::check(text->size() <= sigstore::kMaxIdentityValue && is_utf8(*text));
  fuzz::check(text->find('\0') == std::string::npos);
}

bool is_claim_name(const std::string& name) {
  const auto& claims = sigstore::fulcio_claims();
  return std::any_of(claims.begin(), claims.end(), [&](const sigstore::FulcioClaim& c) { return c.name == name; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  check_text(sigstore::fulcio_extension_text(input, true));
  check_text(sigstore::fulcio_extension_text(input, false));

  auto cert = crypto::Certificate::parse_der(input);
  if (!cert.ok()) return 0;
  fuzz::check(std::equal(cert->der().begin(), cert->der().end(), input.begin(), input.end()));
  if (auto id = sigstore::certificate_identity(*cert); id.ok()) {
    fuzz::check(!id->subject.empty() && !id->issuer.empty());
    for (const auto& [name, value] : id->claims) {
      fuzz::check(is_claim_name(name) && value.size() <= sigstore::kMaxIdentityValue);
    }
  }
  static_cast<void>(cert->has_code_signing_eku());
  static_cast<void>(cert->subject_text());
  if (const auto scts = cert->extension(crypto::kSctListOid)) {
    static_cast<void>(sigstore::parse_sct_list(*scts));
    if (auto tbs = cert->precert_tbs(); tbs.ok()) fuzz::check(tbs->size() < size);
  }
  return 0;
}
