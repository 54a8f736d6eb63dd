#pragma once
// `chartprov key export --pem --key KEYREF --output FILE`: the public half of
// any signing key (chartprov key, cosign.key, pkcs11:, exec:) as cosign.pub
// (PEM "PUBLIC KEY", mode 0644), what `verify --key` and cosign read.
#include <string>

namespace chartprov::cli {

int run_export_pem(const std::string& key, const std::string& passphrase_file, const std::string& output, bool force);

}  // namespace chartprov::cli
