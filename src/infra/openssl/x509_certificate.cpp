#include "infra/openssl/x509_certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <utility>

#include "infra/openssl/certificate_digests.hpp"
#include "infra/openssl/ossl_error.hpp"
#include "infra/openssl/spki.hpp"
#include "util/rfc3339.hpp"

namespace chartprov::crypto {
namespace {

struct Free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }  // borrowed certificates
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
  void operator()(EXTENDED_KEY_USAGE* p) const { EXTENDED_KEY_USAGE_free(p); }
  void operator()(ASN1_OBJECT* p) const { ASN1_OBJECT_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

std::optional<std::int64_t> unix_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

// Whether two extensions share an OID: their encoded OIDs, sorted, side by side.
bool repeats_an_extension(const X509* x) {
  std::vector<std::string_view> oids;
  const int n = X509_get_ext_count(x);
  for (int i = 0; i < n; ++i) {
    const ASN1_OBJECT* obj = X509_EXTENSION_get_object(X509_get_ext(x, i));
    const unsigned char* data = OBJ_get0_data(obj);
    oids.emplace_back(reinterpret_cast<const char*>(data), data == nullptr ? 0 : OBJ_length(obj));
  }
  std::sort(oids.begin(), oids.end());
  return std::adjacent_find(oids.begin(), oids.end()) != oids.end();
}

std::vector<std::string> san_entries(X509* x, int type) {
  std::vector<std::string> out;
  const Owned<GENERAL_NAMES> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  ERR_clear_error();  // no SAN is not an error here
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != type) continue;
    const ASN1_IA5STRING* s = type == GEN_URI ? name->d.uniformResourceIdentifier : name->d.rfc822Name;
    const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(s));
    out.emplace_back(data, static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  return out;
}

// A DN as one line, RFC 2253 (OpenSSL escapes control and non-ASCII bytes).
std::string name_text(const X509_NAME* name) {
  const Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "";
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : "";
}

Status verify_error_at(const char* what, std::int64_t at) {
  return verify_error(std::string(what) + " is not valid at " + format_rfc3339(at));
}

bool is_path_error(int error) {
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED: return true;
    default: return false;
  }
}

}  // namespace

Certificate::Certificate(x509_st* owned, Bytes der, std::int64_t not_before, std::int64_t not_after)
    : x509_(owned), der_(std::move(der)), not_before_(not_before), not_after_(not_after) {}

Certificate::Certificate(const Certificate& other)
    : x509_(other.x509_), der_(other.der_), not_before_(other.not_before_), not_after_(other.not_after_) {
  if (x509_ != nullptr) X509_up_ref(x509_);
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) *this = Certificate(other);
  return *this;
}

Certificate::Certificate(Certificate&& other) noexcept
    : x509_(std::exchange(other.x509_, nullptr)),
      der_(std::move(other.der_)),
      not_before_(other.not_before_),
      not_after_(other.not_after_) {}

Certificate& Certificate::operator=(Certificate&& other) noexcept {
  if (this != &other) {
    X509_free(x509_);
    x509_ = std::exchange(other.x509_, nullptr);
    der_ = std::move(other.der_);
    not_before_ = other.not_before_;
    not_after_ = other.not_after_;
  }
  return *this;
}

Certificate::~Certificate() { X509_free(x509_); }

Result<Certificate> Certificate::parse_der(ByteView der) {
  if (der.empty()) return input_error("empty certificate");
  if (der.size() > kMaxCertificate) return input_error("certificate larger than 64 KiB");
  const unsigned char* p = der.data();
  Owned<X509> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x) {
    ERR_clear_error();
    return input_error("not a DER X.509 certificate");
  }
  if (p != der.data() + der.size()) return input_error("trailing bytes after the certificate");
  const auto not_before = unix_time(X509_get0_notBefore(x.get()));
  const auto not_after = unix_time(X509_get0_notAfter(x.get()));
  if (!not_before || !not_after) {
    ERR_clear_error();
    return input_error("the certificate has no valid validity period");
  }
  if (repeats_an_extension(x.get())) return input_error("the certificate repeats an extension");
  return Certificate(x.release(), Bytes(der.begin(), der.end()), *not_before, *not_after);
}

Result<PKey> Certificate::public_key() const { return parse_spki_der(spki_der()); }

Bytes Certificate::spki_der() const {
  const X509_PUBKEY* spki = X509_get_X509_PUBKEY(x509_);
  const int n = i2d_X509_PUBKEY(spki, nullptr);
  if (n <= 0) return {};
  Bytes out(static_cast<std::size_t>(n));
  unsigned char* p = out.data();
  if (i2d_X509_PUBKEY(spki, &p) != n) return {};
  return out;
}

std::string Certificate::subject_text() const { return name_text(X509_get_subject_name(x509_)); }
std::string Certificate::issuer_text() const { return name_text(X509_get_issuer_name(x509_)); }

std::vector<std::string> Certificate::san_uris() const { return san_entries(x509_, GEN_URI); }
std::vector<std::string> Certificate::san_emails() const { return san_entries(x509_, GEN_EMAIL); }

std::optional<Bytes> Certificate::extension(std::string_view dotted_oid) const {
  const std::string text(dotted_oid);
  const Owned<ASN1_OBJECT> oid(OBJ_txt2obj(text.c_str(), 1));  // 1: dotted numbers only, no names
  if (!oid) {
    ERR_clear_error();
    return std::nullopt;
  }
  const int index = X509_get_ext_by_OBJ(x509_, oid.get(), -1);
  if (index < 0) return std::nullopt;
  const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(x509_, index));
  const unsigned char* data = ASN1_STRING_get0_data(value);
  return Bytes(data, data + ASN1_STRING_length(value));
}

bool Certificate::is_ca() const {
  const bool ca = (X509_get_extension_flags(x509_) & EXFLAG_CA) != 0;
  ERR_clear_error();
  return ca;
}

bool Certificate::has_code_signing_eku() const {
  const Owned<EXTENDED_KEY_USAGE> eku(
      static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x509_, NID_ext_key_usage, nullptr, nullptr)));
  ERR_clear_error();
  if (!eku) return false;
  for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), i)) == NID_code_sign) return true;
  }
  return false;
}

Result<Bytes> Certificate::precert_tbs() const {
  const Owned<X509> copy(X509_dup(x509_));
  if (!copy) return internal_error("out of memory");
  const int index = X509_get_ext_by_NID(copy.get(), NID_ct_precert_scts, -1);
  if (index < 0) return input_error("the certificate carries no embedded SCTs");
  const Owned<X509_EXTENSION> removed(X509_delete_ext(copy.get(), index));
  if (!removed) return internal_error("cannot remove the SCT list extension");
  // i2d_re_X509_tbs encodes the TBSCertificate again from its fields (the
  // cached encoding still holds the extension); what RFC 6962 3.2 and
  // OpenSSL's own SCT check sign over.
  const int n = i2d_re_X509_tbs(copy.get(), nullptr);
  if (n <= 0) return internal_error("cannot encode the TBSCertificate: " + take_openssl_error());
  Bytes out(static_cast<std::size_t>(n));
  unsigned char* p = out.data();
  if (i2d_re_X509_tbs(copy.get(), &p) != n) return internal_error("cannot encode the TBSCertificate");
  return out;
}

bool Certificate::issued(const Certificate& child) const {
  register_certificate_digests();
  if (X509_check_issued(x509_, child.x509_) != X509_V_OK) return false;
  EVP_PKEY* key = X509_get0_pubkey(x509_);
  const bool ok = key != nullptr && X509_verify(child.x509_, key) == 1;
  ERR_clear_error();
  return ok;
}

Status verify_certificate_chain(const Certificate& leaf, const std::vector<Certificate>& ca_chain, std::int64_t at,
                                bool require_code_signing) {
  if (ca_chain.empty()) return input_error("the certificate authority has no certificates");
  register_certificate_digests();
  const Owned<X509_STORE> store(X509_STORE_new());
  const Owned<STACK_OF(X509)> intermediates(sk_X509_new_null());
  const Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!store || !intermediates || !ctx) return internal_error("out of memory");
  if (X509_STORE_add_cert(store.get(), ca_chain.back().get()) != 1) {
    return internal_error("cannot use the root certificate: " + take_openssl_error());
  }
  for (std::size_t i = 0; i + 1 < ca_chain.size(); ++i) {
    if (sk_X509_push(intermediates.get(), ca_chain[i].get()) == 0) return internal_error("out of memory");
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), intermediates.get()) != 1) {
    return internal_error("cannot check the certificate chain: " + take_openssl_error());
  }
  // The root is the anchor even when it is not self-signed (PARTIAL_CHAIN); times
  // are checked below, on the path OpenSSL built, with both ends inclusive as
  // RFC 5280 says (OpenSSL counts notAfter itself as expired).
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (is_path_error(error))
      return verify_error("the signing certificate does not chain to the certificate authority");
    return verify_error(std::string("the certificate chain does not verify: ") + X509_verify_cert_error_string(error));
  }
  const STACK_OF(X509)* path = X509_STORE_CTX_get0_chain(ctx.get());
  // The root itself as the leaf is a path of one: the leaf must be issued, not trusted.
  if (sk_X509_num(path) < 2) return verify_error("the signing certificate does not chain to the certificate authority");
  for (int i = 0; i < sk_X509_num(path); ++i) {
    X509* cert = sk_X509_value(path, i);
    const auto not_before = unix_time(X509_get0_notBefore(cert));
    const auto not_after = unix_time(X509_get0_notAfter(cert));
    if (!not_before || !not_after || at < *not_before || at > *not_after) {
      return verify_error_at(i == 0 ? "the signing certificate" : "a certificate authority certificate", at);
    }
  }
  if (require_code_signing && !leaf.has_code_signing_eku()) {
    return verify_error("the signing certificate is not for code signing (no codeSigning extended key usage)");
  }
  return ok_status();
}

const Certificate* find_issuer(const Certificate& leaf, const std::vector<Certificate>& ca_chain) {
  for (const Certificate& ca : ca_chain) {
    if (ca.issued(leaf)) return &ca;
  }
  return nullptr;
}

}  // namespace chartprov::crypto
