#pragma once
// Where chartprov's helper programs live: $<ENV> if set, else next to the
// running binary. Helpers are separate processes so that the static hot path
// never loads their libraries (RNP, libcurl, PKCS#11 modules).
#include <string>

#include "util/result.hpp"

namespace chartprov::app {

Result<std::string> helper_path(const char* env_name, const char* program);

inline Result<std::string> rnp_helper_path() { return helper_path("CHARTPROV_RNP", "chartprov-rnp"); }
inline Result<std::string> oci_helper_path() { return helper_path("CHARTPROV_OCI", "chartprov-oci"); }
inline Result<std::string> pkcs11_helper_path() { return helper_path("CHARTPROV_PKCS11", "chartprov-pkcs11"); }

}  // namespace chartprov::app
