#include "infra/tls/tls_context.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>
#include <utility>
#include <vector>

#include "infra/openssl/certificate_digests.hpp"
#include "infra/openssl/ossl_error.hpp"
#include "util/file.hpp"
#include "util/rfc3339.hpp"
#include "util/secret_permissions.hpp"
#include "util/secure.hpp"

namespace chartprov::tls {
namespace {

constexpr std::uint64_t kMaxPemFile = 1 << 20;
// TLS 1.2 suites with forward secrecy and an AEAD only; TLS 1.3's defaults are all such.
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20";

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

std::string openssl_reason() {
  std::string reason = crypto::take_openssl_error();
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

// Every PEM certificate of `file`, in order.
Result<std::vector<X509Ptr>> read_certificates(const std::filesystem::path& file) {
  TRY(const Bytes pem, read_file(file, kMaxPemFile));
  const std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return internal_error("out of memory");
  std::vector<X509Ptr> certs;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(x);
  ERR_clear_error();  // the loop ends on "no start line"
  if (certs.empty()) return input_error(file.string() + " holds no PEM certificate");
  return certs;
}

Result<std::int64_t> unix_time(const ASN1_TIME* t, const std::filesystem::path& file) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1)
    return input_error(file.string() + ": the certificate has no valid time");
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string subject_line(X509* cert) {
  const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0) return "";
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : "";
}

Result<CertificateFacts> check_validity(X509* leaf, const std::filesystem::path& file, std::int64_t now) {
  CertificateFacts facts;
  facts.subject = subject_line(leaf);
  TRY(facts.not_before, unix_time(X509_get0_notBefore(leaf), file));
  TRY(facts.not_after, unix_time(X509_get0_notAfter(leaf), file));
  if (now < facts.not_before) {
    return input_error(file.string() + ": the certificate is not valid until " + format_rfc3339(facts.not_before));
  }
  if (now > facts.not_after) {
    return input_error(file.string() + ": the certificate expired at " + format_rfc3339(facts.not_after));
  }
  return facts;
}

Status use_private_key(SSL_CTX* ctx, const std::filesystem::path& file) {
  TRY_STATUS(check_group_secret_file_permissions(file, "TLS key"));
  TRY(Bytes raw, read_file(file, kMaxPemFile));
  const SecretBytes pem(std::move(raw));
  const std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.bytes().data(), static_cast<int>(pem.bytes().size())));
  if (!bio) return internal_error("out of memory");
  const std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    return input_error(file.string() + " holds no unencrypted PEM private key");
  }
  // OpenSSL compares the key with the certificate in either call.
  const bool used = SSL_CTX_use_PrivateKey(ctx, key.get()) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  if (!used) {
    const unsigned long e = ERR_peek_last_error();
    const bool mismatch = ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH;
    const std::string reason = openssl_reason();
    if (mismatch || e == 0) return input_error(file.string() + ": the private key does not belong to the certificate");
    return input_error(file.string() + ": the private key cannot serve the certificate: " + reason);
  }
  return ok_status();
}

Status require_client_certificates(SSL_CTX* ctx, const std::filesystem::path& file) {
  TRY(const std::vector<X509Ptr> cas, read_certificates(file));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  if (names == nullptr) return internal_error("out of memory");
  for (const auto& ca : cas) {
    if (X509_STORE_add_cert(store, ca.get()) != 1 ||
        sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get()))) <= 0) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return input_error(file.string() + ": " + openssl_reason());
    }
  }
  SSL_CTX_set_client_CA_list(ctx, names);  // takes the list
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return ok_status();
}

}  // namespace

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<std::shared_ptr<const TlsContext>> load_tls_context(const ServerFiles& files, std::int64_t now) {
  crypto::register_certificate_digests();  // libssl checks certificate digests by NID
  std::unique_ptr<SSL_CTX, SslCtxFree> owned(SSL_CTX_new(TLS_server_method()));
  SSL_CTX* ctx = owned.get();
  if (ctx == nullptr) return internal_error("TLS: " + openssl_reason());
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) return internal_error("TLS: " + openssl_reason());

  TRY(std::vector<X509Ptr> chain, read_certificates(files.cert));
  TRY(CertificateFacts facts, check_validity(chain.front().get(), files.cert, now));
  if (SSL_CTX_use_certificate(ctx, chain.front().get()) != 1) {
    return input_error(files.cert.string() + ": " + openssl_reason());
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1) {
      return input_error(files.cert.string() + ": " + openssl_reason());
    }
  }
  TRY_STATUS(use_private_key(ctx, files.key));
  if (files.client_ca) TRY_STATUS(require_client_certificates(ctx, *files.client_ca));
  return std::shared_ptr<const TlsContext>(std::make_shared<TlsContext>(owned.release(), std::move(facts)));
}

}  // namespace chartprov::tls
