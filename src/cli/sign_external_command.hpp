#pragma once
// `chartprov sign --key pkcs11:...|exec:...`: signing with a key that lives
// in an HSM or behind an external signer (docs/KEY-MANAGEMENT.md).
#include <string>

#include "app/events/events.hpp"
#include "app/keys/signer_source.hpp"
#include "cli/signer_options.hpp"

namespace chartprov::cli {

struct ExternalSignOptions {
  std::string created;            // OpenPGP creation time of the key (RFC 3339 or unix)
  std::string key_history;        // keys.json: creation time, status, allowed_charts
  std::string formats;            // --format list; empty = the default (prov,cosign-blob)
  std::string certificate;        // --certificate: the signing certificate (PEM) for the Sigstore bundle
  std::string certificate_chain;  // --certificate-chain: its CA certificates, checked before signing
  std::string log_url;            // --log: submit the signatures to chartprov's transparency log
  std::string log_key;            // --log-key: the log's public key (PEM), checks its checkpoint
};

// Whether the key is a GnuPG keyring/home entry (helm's way; .prov only).
bool is_gnupg_key(const SignerOptions& o);

// event (when given) gets the chart, digest and key id, or the error's reason.
int run_sign_external(const std::string& chart, const SignerOptions& signer, const ExternalSignOptions& o,
                      app::Event* event = nullptr);

// A passphrase or PIN for open_signer: --passphrase-file, else
// CHARTPROV_PASSWORD (passphrases) / CHARTPROV_PKCS11_PIN (PINs), else a prompt.
Result<SecretString> obtain_secret(app::SecretKind kind, const std::string& prompt, const std::string& file);

// "2026-11-25T07:00:00Z" or seconds since the epoch; empty -> 0.
Result<std::uint32_t> parse_created(const std::string& text);

}  // namespace chartprov::cli
