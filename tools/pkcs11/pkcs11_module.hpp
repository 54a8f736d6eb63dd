#pragma once
// RAII over a PKCS#11 module: dlopen + C_Initialize, a logged-in session,
// and the few calls a signer needs. Errors name the PKCS#11 return value.
#include <p11-kit/pkcs11.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "infra/openssl/pkey.hpp"
#include "signer/pkcs11_uri.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"
#include "util/secure.hpp"

namespace chartprov::pkcs11 {

class Module {
 public:
  static Result<std::unique_ptr<Module>> load(const std::string& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  CK_FUNCTION_LIST* fn() const { return fn_; }

 private:
  Module(void* handle, CK_FUNCTION_LIST* fn) : handle_(handle), fn_(fn) {}
  void* handle_;
  CK_FUNCTION_LIST* fn_;
};

class Session {
 public:
  // Finds the one token matching the URI, opens a session and logs in when
  // a PIN is given or the token requires one.
  // read_write: for generating keys; signing needs only a read-only session.
  static Result<std::unique_ptr<Session>> open(const Module& module, const signer::Pkcs11Uri& uri,
                                               const SecretString* pin, bool read_write = false);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The one private key object matching the URI (label and/or id).
  Result<CK_OBJECT_HANDLE> find_private_key(const signer::Pkcs11Uri& uri) const;
  // Its public half, from the matching public key object.
  Result<crypto::PKey> public_key(const signer::Pkcs11Uri& uri) const;
  struct KeyInfo {
    std::string label;
    Bytes id;
    crypto::PKey public_key;  // empty when the token has no public object for it
  };
  // Every private key object on the token (labels and ids only; nothing secret).
  Result<std::vector<KeyInfo>> list_keys() const;
  // A new key pair on the token, like `like` (same curve or modulus size),
  // private half non-extractable and sensitive. Refuses a label/id in use.
  Result<crypto::PKey> generate_like(const crypto::PKey& like, const std::string& label, const Bytes& id) const;
  // ECDSA: raw r || s from the token, returned as DER; RSA: PKCS#1 v1.5 over DigestInfo.
  Result<Bytes> sign(CK_OBJECT_HANDLE key, const crypto::PKey& public_key, const std::string& hash,
                     ByteView digest) const;

 private:
  Session(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE h) : fn_(fn), h_(h) {}
  Result<std::optional<CK_OBJECT_HANDLE>> find_one(CK_OBJECT_CLASS cls, const signer::Pkcs11Uri& uri) const;
  Result<Bytes> attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const;
  CK_FUNCTION_LIST* fn_;
  CK_SESSION_HANDLE h_;
  bool logged_in_ = false;
};

std::string rv_name(CK_RV rv);

}  // namespace chartprov::pkcs11
