#pragma once
// Where chartprov's helper programs live: $<ENV> if set, else next to the
// running binary. Helpers are separate processes so that the static hot path
// never loads their libraries (RNP, libcurl, PKCS#11 modules, SQLite and libpq); helm, which
// the admission webhook's image ships beside chartprov to render verified
// charts, is found the same way ($CHARTPROV_HELM, the variable the deploy
// gate also reads).
#include <string>

#include "util/result.hpp"

namespace chartprov::app {

Result<std::string> helper_path(const char* env_name, const char* program);

inline Result<std::string> rnp_helper_path() { return helper_path("CHARTPROV_RNP", "chartprov-rnp"); }
inline Result<std::string> oci_helper_path() { return helper_path("CHARTPROV_OCI", "chartprov-oci"); }
inline Result<std::string> pkcs11_helper_path() { return helper_path("CHARTPROV_PKCS11", "chartprov-pkcs11"); }
inline Result<std::string> log_helper_path() { return helper_path("CHARTPROV_LOG", "chartprov-log"); }
inline Result<std::string> helm_helper_path() { return helper_path("CHARTPROV_HELM", "helm"); }

}  // namespace chartprov::app
