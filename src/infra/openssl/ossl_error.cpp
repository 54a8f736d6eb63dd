#include "infra/openssl/ossl_error.hpp"

#include <openssl/err.h>

namespace chartprov::crypto {

std::string take_openssl_error() {
  const unsigned long code = ERR_peek_error();
  std::string out;
  if (code != 0) {
    const char* reason = ERR_reason_error_string(code);
    out = reason != nullptr ? reason : "error " + std::to_string(ERR_GET_REASON(code));
  }
  ERR_clear_error();
  return out;
}

}  // namespace chartprov::crypto
