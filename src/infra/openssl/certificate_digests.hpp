#pragma once
// The process starts OpenSSL without its table of digest names (init_openssl,
// infra/openssl/digest.hpp: half of one verify's instructions). Certificate
// code looks digests up by NID in that table: libssl's checks of a chain and
// libcrypto's X509_verify / X509_verify_cert. Without the table, every
// certificate signature is "unknown message digest algorithm" (a chain check
// fails as "certificate signature failure", libssl as "ca md too weak").
namespace chartprov::crypto {

// Registers SHA-1, SHA-224, SHA-256, SHA-384 and SHA-512 in that table, once
// per process (later calls do nothing). Call it before any certificate
// signature is checked; it cannot fail.
void register_certificate_digests();

}  // namespace chartprov::crypto
