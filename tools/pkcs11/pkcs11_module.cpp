#include "pkcs11_module.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "infra/openssl/pk_signature.hpp"

namespace chartprov::pkcs11 {
namespace {

Error fail(const std::string& what, CK_RV rv) { return verify_error(what + " failed: " + rv_name(rv)); }

// Token info fields are blank-padded, not NUL-terminated.
std::string padded(const unsigned char* data, std::size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// DER OIDs of the named curves (CKA_EC_PARAMS holds one).
std::optional<std::string> curve_of(const Bytes& params) {
  const Bytes p256 = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  const Bytes p384 = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
  const Bytes p521 = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
  if (params == p256) return "prime256v1";
  if (params == p384) return "secp384r1";
  if (params == p521) return "secp521r1";
  return std::nullopt;
}

// CKA_EC_POINT is a DER OCTET STRING around the uncompressed point; some
// tokens give the bare point. The sizes never overlap (P-256: 65 bare, 67 wrapped).
Result<Bytes> unwrap_point(const Bytes& v) {
  if ((v.size() == 65 || v.size() == 97 || v.size() == 133) && v[0] == 0x04) return v;
  if (v.size() < 2 || v[0] != 0x04) return verify_error("CKA_EC_POINT is not an OCTET STRING");
  std::size_t len = v[1];
  std::size_t header = 2;
  if (len == 0x81 && v.size() >= 3) {
    len = v[2];
    header = 3;
  } else if (len >= 0x80) {
    return verify_error("CKA_EC_POINT has a bad length");
  }
  if (header + len != v.size()) return verify_error("CKA_EC_POINT has a bad length");
  return Bytes(v.begin() + static_cast<std::ptrdiff_t>(header), v.end());
}

// DigestInfo prefixes (RFC 8017 9.2 note 1).
Result<Bytes> digest_info_prefix(const std::string& hash) {
  if (hash == "SHA256")
    return Bytes{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  if (hash == "SHA384")
    return Bytes{0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
  if (hash == "SHA512")
    return Bytes{0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
  return usage_error("unsupported hash " + hash);
}

}  // namespace

std::string rv_name(CK_RV rv) {
  switch (rv) {
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT (wrong PIN)";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN (no PIN given?)";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_KEY_TYPE_INCONSISTENT: return "CKR_KEY_TYPE_INCONSISTENT";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
    case CKR_ARGUMENTS_BAD: return "CKR_ARGUMENTS_BAD";
    case CKR_SESSION_READ_ONLY: return "CKR_SESSION_READ_ONLY";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "CKR 0x%08lx", static_cast<unsigned long>(rv));
      return buf;
    }
  }
}

Result<std::unique_ptr<Module>> Module::load(const std::string& path) {
  if (path.empty() || path.front() != '/') return usage_error("module-path must be an absolute path");
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return input_error("cannot load PKCS#11 module " + path);
  using GetList = CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR);
  auto get_list = reinterpret_cast<GetList>(::dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST* fn = nullptr;
  if (get_list == nullptr || get_list(&fn) != CKR_OK || fn == nullptr) {
    ::dlclose(handle);
    return input_error(path + " is not a PKCS#11 module (no C_GetFunctionList)");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  const CK_RV rv = fn->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    ::dlclose(handle);
    return fail("C_Initialize", rv);
  }
  return std::unique_ptr<Module>(new Module(handle, fn));  // NOLINT: private constructor
}

Module::~Module() {
  fn_->C_Finalize(nullptr);
  ::dlclose(handle_);
}

Result<std::unique_ptr<Session>> Session::open(const Module& module, const signer::Pkcs11Uri& uri,
                                               const SecretString* pin, bool read_write) {
  CK_FUNCTION_LIST* fn = module.fn();
  CK_ULONG count = 0;
  if (const CK_RV rv = fn->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK) return fail("C_GetSlotList", rv);
  std::vector<CK_SLOT_ID> slots(count);
  if (const CK_RV rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &count); rv != CKR_OK) return fail("C_GetSlotList", rv);
  slots.resize(count);
  std::optional<CK_SLOT_ID> chosen;
  CK_TOKEN_INFO chosen_info{};
  for (const CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (fn->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    if (uri.slot_id && *uri.slot_id != slot) continue;
    if (!uri.token.empty() && padded(info.label, sizeof info.label) != uri.token) continue;
    if (!uri.manufacturer.empty() && padded(info.manufacturerID, sizeof info.manufacturerID) != uri.manufacturer)
      continue;
    if (!uri.serial.empty() && padded(info.serialNumber, sizeof info.serialNumber) != uri.serial) continue;
    if (!uri.model.empty() && padded(info.model, sizeof info.model) != uri.model) continue;
    if (chosen) return usage_error("more than one token matches the URI; add token= or serial=");
    chosen = slot;
    chosen_info = info;
  }
  if (!chosen)
    return input_error("no token matches the URI" + (uri.token.empty() ? std::string() : " (token=" + uri.token + ")"));
  CK_SESSION_HANDLE h = 0;
  if (const CK_RV rv =
          fn->C_OpenSession(*chosen, CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0), nullptr, nullptr, &h);
      rv != CKR_OK) {
    return fail("C_OpenSession", rv);
  }
  std::unique_ptr<Session> session(new Session(fn, h));  // NOLINT: private constructor
  const SecretString* use_pin = pin != nullptr ? pin : (uri.pin_value.empty() ? nullptr : &uri.pin_value);
  if (use_pin != nullptr) {
    std::string copy = use_pin->str();
    const CK_RV rv = fn->C_Login(h, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(copy.data()), copy.size());
    secure_wipe(copy.data(), copy.size());
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) return fail("C_Login", rv);
    session->logged_in_ = true;
  } else if ((chosen_info.flags & CKF_LOGIN_REQUIRED) != 0) {
    return usage_error("the token needs a PIN: set CHARTPROV_PKCS11_PIN or add pin-value= to the URI");
  }
  return session;
}

Session::~Session() {
  if (logged_in_) fn_->C_Logout(h_);
  fn_->C_CloseSession(h_);
}

Result<std::optional<CK_OBJECT_HANDLE>> Session::find_one(CK_OBJECT_CLASS cls, const signer::Pkcs11Uri& uri) const {
  std::vector<CK_ATTRIBUTE> tmpl;
  tmpl.push_back({CKA_CLASS, &cls, sizeof cls});
  std::string label = uri.object;
  Bytes id = uri.id;
  if (!label.empty()) tmpl.push_back({CKA_LABEL, label.data(), label.size()});
  if (!id.empty()) tmpl.push_back({CKA_ID, id.data(), id.size()});
  if (const CK_RV rv = fn_->C_FindObjectsInit(h_, tmpl.data(), tmpl.size()); rv != CKR_OK)
    return fail("C_FindObjectsInit", rv);
  CK_OBJECT_HANDLE found[2];
  CK_ULONG n = 0;
  const CK_RV rv = fn_->C_FindObjects(h_, found, 2, &n);
  fn_->C_FindObjectsFinal(h_);
  if (rv != CKR_OK) return fail("C_FindObjects", rv);
  if (n > 1) return usage_error("more than one key matches the URI; add id= or object=");
  if (n == 0) return std::optional<CK_OBJECT_HANDLE>();
  return std::optional<CK_OBJECT_HANDLE>(found[0]);
}

Result<Bytes> Session::attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const {
  CK_ATTRIBUTE a{type, nullptr, 0};
  if (const CK_RV rv = fn_->C_GetAttributeValue(h_, object, &a, 1); rv != CKR_OK)
    return fail("C_GetAttributeValue", rv);
  if (a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen > 65536) return verify_error("attribute unavailable");
  Bytes value(a.ulValueLen);
  a.pValue = value.data();
  if (const CK_RV rv = fn_->C_GetAttributeValue(h_, object, &a, 1); rv != CKR_OK)
    return fail("C_GetAttributeValue", rv);
  value.resize(a.ulValueLen);
  return value;
}

Result<CK_OBJECT_HANDLE> Session::find_private_key(const signer::Pkcs11Uri& uri) const {
  TRY(const auto key, find_one(CKO_PRIVATE_KEY, uri));
  if (!key) return input_error("no private key on the token matches the URI (wrong object=/id=, or not logged in)");
  return *key;
}

Result<crypto::PKey> Session::public_key(const signer::Pkcs11Uri& uri) const {
  TRY(const auto object, find_one(CKO_PUBLIC_KEY, uri));
  if (!object) return input_error("the token has no public key object for this key (needed for its public half)");
  TRY(const Bytes type_bytes, attribute(*object, CKA_KEY_TYPE));
  if (type_bytes.size() != sizeof(CK_KEY_TYPE)) return verify_error("bad CKA_KEY_TYPE");
  CK_KEY_TYPE type = 0;
  std::memcpy(&type, type_bytes.data(), sizeof type);
  if (type == CKK_EC) {
    TRY(const Bytes params, attribute(*object, CKA_EC_PARAMS));
    const auto curve = curve_of(params);
    if (!curve) return input_error("the key's curve is not P-256, P-384 or P-521");
    TRY(const Bytes point_attr, attribute(*object, CKA_EC_POINT));
    TRY(const Bytes point, unwrap_point(point_attr));
    return crypto::ec_public_key(*curve, point);
  }
  if (type == CKK_RSA) {
    TRY(const Bytes n, attribute(*object, CKA_MODULUS));
    TRY(const Bytes e, attribute(*object, CKA_PUBLIC_EXPONENT));
    return crypto::rsa_public_key(n, e);
  }
  return input_error("the key is neither EC nor RSA");
}

Result<std::vector<Session::KeyInfo>> Session::list_keys() const {
  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE tmpl{CKA_CLASS, &cls, sizeof cls};
  if (const CK_RV rv = fn_->C_FindObjectsInit(h_, &tmpl, 1); rv != CKR_OK) return fail("C_FindObjectsInit", rv);
  std::vector<CK_OBJECT_HANDLE> objects(256);
  CK_ULONG n = 0;
  const CK_RV rv = fn_->C_FindObjects(h_, objects.data(), objects.size(), &n);
  fn_->C_FindObjectsFinal(h_);
  if (rv != CKR_OK) return fail("C_FindObjects", rv);
  objects.resize(n);
  std::vector<KeyInfo> out;
  for (const CK_OBJECT_HANDLE o : objects) {
    KeyInfo info;
    if (auto label = attribute(o, CKA_LABEL); label.ok()) info.label.assign(label->begin(), label->end());
    if (auto id = attribute(o, CKA_ID); id.ok()) info.id = *id;
    signer::Pkcs11Uri by;
    by.object = info.label;
    by.id = info.id;
    if (auto pub = public_key(by); pub.ok()) info.public_key = std::move(*pub);
    out.push_back(std::move(info));
  }
  return out;
}

Result<crypto::PKey> Session::generate_like(const crypto::PKey& like, const std::string& label_in,
                                            const Bytes& id_in) const {
  signer::Pkcs11Uri taken;
  taken.object = label_in;
  TRY(const auto by_label, find_one(CKO_PRIVATE_KEY, taken));
  taken.object.clear();
  taken.id = id_in;
  TRY(const auto by_id, find_one(CKO_PRIVATE_KEY, taken));
  if (by_label || by_id) return usage_error("the token already has a key labelled " + label_in + " or with that id");
  std::string label = label_in;
  Bytes id = id_in;
  CK_BBOOL yes = CK_TRUE;
  CK_BBOOL no = CK_FALSE;
  std::vector<CK_ATTRIBUTE> pub = {{CKA_TOKEN, &yes, sizeof yes},
                                   {CKA_VERIFY, &yes, sizeof yes},
                                   {CKA_LABEL, label.data(), label.size()},
                                   {CKA_ID, id.data(), id.size()}};
  std::vector<CK_ATTRIBUTE> priv = {{CKA_TOKEN, &yes, sizeof yes},     {CKA_PRIVATE, &yes, sizeof yes},
                                    {CKA_SENSITIVE, &yes, sizeof yes}, {CKA_EXTRACTABLE, &no, sizeof no},
                                    {CKA_SIGN, &yes, sizeof yes},      {CKA_LABEL, label.data(), label.size()},
                                    {CKA_ID, id.data(), id.size()}};
  CK_MECHANISM mech{};
  Bytes params;
  CK_ULONG bits = 0;
  CK_BYTE exponent[] = {0x01, 0x00, 0x01};
  if (crypto::key_type(like) == crypto::KeyType::kEc) {
    TRY(const std::string group, crypto::ec_group_name(like));
    if (group == "prime256v1")
      params = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    else if (group == "secp384r1")
      params = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    else if (group == "secp521r1")
      params = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23};
    else
      return usage_error("unsupported curve " + group);
    mech.mechanism = CKM_EC_KEY_PAIR_GEN;
    pub.push_back({CKA_EC_PARAMS, params.data(), params.size()});
  } else if (crypto::key_type(like) == crypto::KeyType::kRsa) {
    bits = crypto::key_bits(like);
    mech.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
    pub.push_back({CKA_MODULUS_BITS, &bits, sizeof bits});
    pub.push_back({CKA_PUBLIC_EXPONENT, exponent, sizeof exponent});
  } else {
    return usage_error("only EC and RSA keys are generated on tokens");
  }
  CK_OBJECT_HANDLE pub_h = 0;
  CK_OBJECT_HANDLE priv_h = 0;
  if (const CK_RV rv =
          fn_->C_GenerateKeyPair(h_, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &pub_h, &priv_h);
      rv != CKR_OK) {
    return fail("C_GenerateKeyPair", rv);
  }
  signer::Pkcs11Uri made;
  made.object = label_in;
  made.id = id_in;
  return public_key(made);
}

Result<Bytes> Session::sign(CK_OBJECT_HANDLE key, const crypto::PKey& public_key, const std::string& hash,
                            ByteView digest) const {
  const bool ec = crypto::key_type(public_key) == crypto::KeyType::kEc;
  Bytes input;
  if (ec) {
    input.assign(digest.begin(), digest.end());  // SoftHSM has no combined SHA-256+ECDSA: we hash, it signs
  } else {
    TRY(input, digest_info_prefix(hash));
    input.insert(input.end(), digest.begin(), digest.end());
  }
  CK_MECHANISM mech{ec ? CKM_ECDSA : CKM_RSA_PKCS, nullptr, 0};
  if (const CK_RV rv = fn_->C_SignInit(h_, &mech, key); rv != CKR_OK) return fail("C_SignInit", rv);
  CK_ULONG len = 0;
  if (const CK_RV rv = fn_->C_Sign(h_, input.data(), input.size(), nullptr, &len); rv != CKR_OK)
    return fail("C_Sign", rv);
  Bytes sig(len);
  if (const CK_RV rv = fn_->C_Sign(h_, input.data(), input.size(), sig.data(), &len); rv != CKR_OK)
    return fail("C_Sign", rv);
  sig.resize(len);
  if (!ec) return sig;
  if (sig.size() % 2 != 0 || sig.empty()) return verify_error("the token's ECDSA signature has an odd length");
  const std::size_t half = sig.size() / 2;
  return crypto::encode_dsa_signature_der(ByteView(sig).first(half), ByteView(sig).subspan(half));
}

}  // namespace chartprov::pkcs11
