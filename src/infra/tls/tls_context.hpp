#pragma once
// The server side of TLS, as one loaded configuration: a certificate chain
// and its private key read from PEM files, and optionally the CA that client
// certificates must chain to. OpenSSL stays inside infra/tls: callers hold a
// TlsContext and see facts and errors, never an SSL_CTX.
//
// What every context enforces: TLS 1.2 or 1.3 only, no renegotiation, no
// compression, the server's cipher order, no session tickets (replicas share
// no ticket key). With a client CA, a client must present a certificate that
// chains to it (the handshake fails otherwise).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "util/result.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace chartprov::tls {

struct ServerFiles {
  std::filesystem::path cert;                      // PEM: the leaf first, then its intermediates
  std::filesystem::path key;                       // PEM: the leaf's private key, unencrypted
  std::optional<std::filesystem::path> client_ca;  // PEM: CA certificates clients must chain to
};

// What the serving certificate says, for logs and readiness.
struct CertificateFacts {
  std::string subject;      // one line, RFC 2253
  std::int64_t not_before;  // Unix seconds
  std::int64_t not_after;
};

class TlsContext {
 public:
  // Takes ownership of `ctx` (freed by the destructor).
  TlsContext(ssl_ctx_st* ctx, CertificateFacts facts) : ctx_(ctx), facts_(std::move(facts)) {}
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  const CertificateFacts& facts() const { return facts_; }
  ssl_ctx_st* native() const { return ctx_; }  // for infra/tls only

 private:
  ssl_ctx_st* ctx_;
  CertificateFacts facts_;
};

// Loads `files` and checks them at `now` (Unix seconds). Refusals, each an
// input error naming the file:
//  - the key file is accessible by group or others (util/secret_permissions);
//  - a file cannot be read, or holds no PEM certificate / private key;
//  - the private key does not belong to the leaf certificate;
//  - the leaf is not valid yet, or has expired ("... expired at <RFC 3339>");
//  - the client CA file holds no certificate.
// The key's bytes are wiped from memory once OpenSSL holds the key.
[[nodiscard]] Result<std::shared_ptr<const TlsContext>> load_tls_context(const ServerFiles& files, std::int64_t now);

}  // namespace chartprov::tls
