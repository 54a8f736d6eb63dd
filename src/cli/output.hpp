#pragma once
// Printing results and errors the same way in every command.
#include <string>

#include "util/result.hpp"

namespace chartprov::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // verification failed / denied
inline constexpr int kExitError = 2;   // usage or input error

int exit_code_for(const Error& error);

// Prints "chartprov: <message>" on stderr (and, with json, an error object on
// stdout) and returns the exit code for the error.
int report_error(const Error& error, bool json = false);

}  // namespace chartprov::cli
