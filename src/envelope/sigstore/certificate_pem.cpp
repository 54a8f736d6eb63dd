#include "envelope/sigstore/certificate_pem.hpp"

#include <string>

#include "envelope/cosign/pem_block.hpp"
#include "util/byte_size.hpp"

namespace chartprov::sigstore {

Result<std::vector<crypto::Certificate>> read_pem_certificates(std::string_view text) {
  if (text.size() > kMaxCertificateFile) {
    return input_error("certificate file larger than " + byte_size_text(kMaxCertificateFile));
  }
  TRY(const auto blocks, cosign::read_pem_blocks(text, kMaxPemCertificates));
  std::vector<crypto::Certificate> out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    if (blocks[i].label != "CERTIFICATE") {
      return input_error("PEM block " + n + " is a " + blocks[i].label + ", not a CERTIFICATE");
    }
    auto cert = crypto::Certificate::parse_der(blocks[i].der);
    if (!cert) return input_error("certificate " + n + ": " + cert.error().message);
    out.push_back(std::move(*cert));
  }
  return out;
}

}  // namespace chartprov::sigstore
