// libFuzzer target for PEM certificate files (--certificate,
// --certificate-chain, trusted-root create): the reader must never crash,
// and whatever it accepts is between one and kMaxPemCertificates parsed
// certificates.
// fuzz-seeds: *.pem
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "envelope/sigstore/certificate_pem.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto certs = sigstore::read_pem_certificates(as_chars(ByteView(data, size)));
  if (!certs.ok()) return 0;
  if (certs->empty() || certs->size() > sigstore::kMaxPemCertificates) std::abort();
  for (const auto& c : *certs) {
    if (c.der().empty()) std::abort();
  }
  return 0;
}
