#include "infra/openssl/timestamp.hpp"

#include <openssl/bio.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <ctime>
#include <memory>

#include "infra/openssl/certificate_digests.hpp"

namespace chartprov::crypto {
namespace {

struct Free {
  void operator()(TS_RESP* p) const { TS_RESP_free(p); }
  void operator()(TS_VERIFY_CTX* p) const { TS_VERIFY_CTX_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

std::unique_ptr<X509, Free> parse_cert(const Bytes& der) {
  const unsigned char* p = der.data();
  X509* c = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (c != nullptr && p != der.data() + der.size()) {
    X509_free(c);
    return nullptr;
  }
  return std::unique_ptr<X509, Free>(c);
}

}  // namespace

Result<std::int64_t> verify_rfc3161_timestamp(ByteView response, ByteView data, const std::vector<Bytes>& chain) {
  if (chain.empty()) return input_error("timestamp authority without certificates");
  register_certificate_digests();  // the TSA chain and the token's signature are checked by digest NID
  const unsigned char* p = response.data();
  std::unique_ptr<TS_RESP, Free> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
  if (!resp || p != response.data() + response.size()) return verify_error("the timestamp is not a DER TimeStampResp");
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if (info == nullptr) return verify_error("the timestamp response holds no token");
  const ASN1_GENERALIZEDTIME* gen = TS_TST_INFO_get_time(info);
  std::tm tm{};
  if (gen == nullptr || ASN1_TIME_to_tm(gen, &tm) != 1) return verify_error("the timestamp has no valid time");
  const std::int64_t when = static_cast<std::int64_t>(timegm(&tm));

  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), Free> untrusted(sk_X509_new_null());
  if (!store || !untrusted) return internal_error("out of memory");
  for (std::size_t i = 0; i < chain.size(); ++i) {
    auto cert = parse_cert(chain[i]);
    if (!cert) return input_error("a timestamp authority certificate does not parse");
    if (i + 1 == chain.size()) {
      if (X509_STORE_add_cert(store.get(), cert.get()) != 1) return internal_error("cannot use the TSA anchor");
    } else {
      if (sk_X509_push(untrusted.get(), cert.get()) == 0) return internal_error("out of memory");
      static_cast<void>(cert.release());  // owned by the stack now
    }
  }
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(when));  // the chain as of the timestamp
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_TIMESTAMP_SIGN);

  std::unique_ptr<TS_VERIFY_CTX, Free> ctx(TS_VERIFY_CTX_new());
  if (!ctx) return internal_error("out of memory");
  BIO* bio = BIO_new_mem_buf(data.data(), static_cast<int>(data.size()));
  if (bio == nullptr) return internal_error("out of memory");
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNER | TS_VFY_SIGNATURE | TS_VFY_DATA);
  TS_VERIFY_CTX_set_data(ctx.get(), bio);                   // owned by ctx
  TS_VERIFY_CTX_set_store(ctx.get(), store.release());      // owned by ctx
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted.release());  // owned by ctx
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    return verify_error("the RFC 3161 timestamp does not verify against the timestamp authority");
  }
  return when;
}

}  // namespace chartprov::crypto
