#include "app/verify/signature_report.hpp"

namespace chartprov::app {

std::string_view signature_status_name(SignatureStatus status) {
  switch (status) {
    case SignatureStatus::good: return "good";
    case SignatureStatus::bad: return "bad";
    case SignatureStatus::unknown_key: return "unknown-key";
    case SignatureStatus::weak_hash: return "weak-hash";
    case SignatureStatus::weak_key: return "weak-key";
    case SignatureStatus::revoked: return "revoked";
    case SignatureStatus::expired: return "expired";
    case SignatureStatus::invalid_key: return "invalid-key";
    case SignatureStatus::not_signing_key: return "not-signing-key";
    case SignatureStatus::not_pinned: return "not-pinned";
    case SignatureStatus::key_history: return "key-history";
  }
  return "bad";
}

}  // namespace chartprov::app
