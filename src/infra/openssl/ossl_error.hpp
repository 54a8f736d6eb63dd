#pragma once
// Turning OpenSSL's thread-local error queue into one line of text, and
// clearing it so that a failure never leaks into the next operation.
#include <string>

namespace chartprov::crypto {

// The reason of the oldest queued error (e.g. "bad decrypt"), or "" if none;
// the queue is empty afterwards.
std::string take_openssl_error();

}  // namespace chartprov::crypto
