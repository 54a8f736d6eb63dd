#pragma once
// One JSON request on a helper's stdin (chartprov-pkcs11, chartprov-oci, exec
// signers). Requests carry PINs and passwords, so every top-level string of
// the request and the serialised body are wiped once the child has them.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "infra/process/process.hpp"

namespace chartprov::process {

Result<ProcessResult> run_json_request(const std::string& program, nlohmann::json request,
                                       const ProcessLimits& limits = {});

// Wipes every top-level string value of a request (PINs, passwords).
void wipe_strings(nlohmann::json& request);

// The message of an {"error": "..."} answer, or empty.
std::string json_error_message(std::string_view out);

}  // namespace chartprov::process
