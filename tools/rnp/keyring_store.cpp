#include "keyring_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "openpgp/key.hpp"
#include "openpgp/keyring.hpp"
#include "openpgp/packet.hpp"
#include "util/encoding.hpp"
#include "util/file.hpp"

namespace chartprov::rnpbridge {
namespace {

Status load_bytes(rnp_ffi_t ffi, const Bytes& data, const std::string& source, bool with_secrets) {
  if (data.empty()) return ok_status();  // an empty keyring holds no keys
  char* fmt = nullptr;
  if (rnp_detect_key_format(data.data(), data.size(), &fmt) != RNP_SUCCESS || fmt == nullptr) {
    return input_error(source + " is not an OpenPGP keyring (binary, armored or GnuPG keybox)");
  }
  const std::string format = take_string(fmt);
  rnp_input_t raw = nullptr;
  if (rnp_input_from_memory(&raw, data.data(), data.size(), false) != RNP_SUCCESS) {
    return internal_error("rnp_input_from_memory failed");
  }
  const Input in(raw);
  const std::uint32_t flags = RNP_LOAD_SAVE_PUBLIC_KEYS | (with_secrets ? RNP_LOAD_SAVE_SECRET_KEYS : 0u);
  if (format == "GPG") {
    // Import (not load) so that one entity RNP cannot use is skipped
    // instead of sinking the whole keyring.
    char* results = nullptr;
    const rnp_result_t rc = rnp_import_keys(ffi, in.get(), flags | RNP_LOAD_SAVE_PERMISSIVE, &results);
    rnp_buffer_destroy(results);
    if (rc != RNP_SUCCESS) return input_error(source + ": cannot read the OpenPGP keyring");
    return ok_status();
  }
  // rnp_load_keys refuses RNP_LOAD_SAVE_PERMISSIVE (0.16): a keybox loads whole or not at all.
  if (rnp_load_keys(ffi, format.c_str(), in.get(), flags) != RNP_SUCCESS) {
    return input_error(source + ": cannot load keys (" + format + ")");
  }
  return ok_status();
}

Status load_file(rnp_ffi_t ffi, const std::filesystem::path& p, bool with_secrets) {
  TRY(const Bytes data, read_file(p, openpgp::kMaxKeyringFile));
  return load_bytes(ffi, data, p.string(), with_secrets);
}

}  // namespace

Result<Ffi> new_ffi() {
  rnp_ffi_t raw = nullptr;
  if (rnp_ffi_create(&raw, "GPG", "GPG") != RNP_SUCCESS) return internal_error("rnp_ffi_create failed");
  Ffi ffi(raw);
  // RNP logs to stderr by default, and the helper's stderr is its error
  // channel. RNP fdopen()s the descriptor and closes it with the ffi, so it
  // gets one of its own.
  if (const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) {
    if (rnp_ffi_set_log_fd(ffi.get(), null) != RNP_SUCCESS) ::close(null);
  }
  return ffi;
}

Result<Ffi> load_store_bytes(const Bytes& data, const std::string& source, bool with_secrets) {
  TRY(Ffi ffi, new_ffi());
  TRY_STATUS(load_bytes(ffi.get(), data, source, with_secrets));
  return ffi;
}

Result<Ffi> load_store(const std::filesystem::path& path, bool with_secrets) {
  TRY(Ffi ffi, new_ffi());
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    bool any = false;
    for (const char* name : {"pubring.kbx", "pubring.gpg"}) {
      if (std::filesystem::exists(path / name, ec)) {
        TRY_STATUS(load_file(ffi.get(), path / name, false));
        any = true;
      }
    }
    if (!any) return input_error(path.string() + " is a directory without pubring.kbx or pubring.gpg");
    const auto priv = path / "private-keys-v1.d";
    if (with_secrets && std::filesystem::is_directory(priv, ec)) {
      rnp_input_t in_raw = nullptr;
      if (rnp_input_from_path(&in_raw, priv.c_str()) == RNP_SUCCESS) {
        const Input in(in_raw);
        if (rnp_load_keys(ffi.get(), "G10", in.get(), RNP_LOAD_SAVE_SECRET_KEYS) != RNP_SUCCESS) {
          return input_error(priv.string() + ": cannot load secret keys");
        }
      }
    }
    return ffi;
  }
  TRY_STATUS(load_file(ffi.get(), path, with_secrets));
  return ffi;
}

Result<std::vector<Key>> all_keys(rnp_ffi_t ffi) {
  rnp_identifier_iterator_t raw = nullptr;
  if (rnp_identifier_iterator_create(ffi, &raw, "fingerprint") != RNP_SUCCESS) {
    return internal_error("cannot iterate keys");
  }
  const IdIterator it(raw);
  std::vector<Key> keys;
  const char* id = nullptr;
  while (rnp_identifier_iterator_next(it.get(), &id) == RNP_SUCCESS && id != nullptr) {
    rnp_key_handle_t k = nullptr;
    if (rnp_locate_key(ffi, "fingerprint", id, &k) == RNP_SUCCESS && k != nullptr) keys.emplace_back(k);
  }
  return keys;
}

std::string fingerprint(rnp_key_handle_t key) {
  char* s = nullptr;
  rnp_key_get_fprint(key, &s);
  return take_string(s);
}

bool flag(rnp_result_t (*fn)(rnp_key_handle_t, bool*), rnp_key_handle_t key) {
  bool v = false;
  return fn(key, &v) == RNP_SUCCESS && v;
}

Result<Key> primary_of(rnp_ffi_t ffi, rnp_key_handle_t key) {
  char* s = nullptr;
  if (rnp_key_get_primary_fprint(key, &s) != RNP_SUCCESS || s == nullptr) {
    return input_error("subkey " + fingerprint(key) + " has no primary key");
  }
  const std::string fpr = take_string(s);
  rnp_key_handle_t p = nullptr;
  if (rnp_locate_key(ffi, "fingerprint", fpr.c_str(), &p) != RNP_SUCCESS || p == nullptr) {
    return input_error("primary key " + fpr + " not found");
  }
  return Key(p);
}

std::vector<std::string> valid_user_ids(rnp_key_handle_t primary) {
  std::vector<std::string> out;
  size_t count = 0;
  rnp_key_get_uid_count(primary, &count);
  for (size_t i = 0; i < count; ++i) {
    rnp_uid_handle_t raw = nullptr;
    if (rnp_key_get_uid_handle_at(primary, i, &raw) != RNP_SUCCESS) continue;
    const Uid uid(raw);
    bool valid = false, revoked = false;
    rnp_uid_is_valid(uid.get(), &valid);
    rnp_uid_is_revoked(uid.get(), &revoked);
    if (!valid || revoked) continue;
    char* s = nullptr;
    if (rnp_key_get_uid_at(primary, i, &s) == RNP_SUCCESS) out.push_back(take_string(s));
  }
  return out;
}

Result<Bytes> key_packet_body(rnp_key_handle_t key, bool secret) {
  rnp_output_t raw = nullptr;
  if (rnp_output_to_memory(&raw, 0) != RNP_SUCCESS) return internal_error("rnp_output_to_memory failed");
  const Output out(raw);
  const std::uint32_t flags = secret ? RNP_KEY_EXPORT_SECRET : RNP_KEY_EXPORT_PUBLIC;
  if (rnp_key_export(key, out.get(), flags) != RNP_SUCCESS) {
    return input_error("cannot export key " + fingerprint(key));
  }
  uint8_t* buf = nullptr;
  size_t len = 0;
  if (rnp_output_memory_get_buf(out.get(), &buf, &len, false) != RNP_SUCCESS) {
    return internal_error("cannot read the exported key");
  }
  // An unlocked secret export: wiped on every way out, before RNP frees it.
  struct Wipe {
    uint8_t* p;
    size_t n;
    ~Wipe() {
      if (p != nullptr) secure_wipe(p, n);
    }
  } const wipe{secret ? buf : nullptr, len};
  const std::string want = fingerprint(key);
  TRY(const auto packets, openpgp::read_packets(ByteView(buf, len)));
  for (const auto& p : packets) {
    const bool key_packet = p.tag == 5 || p.tag == 6 || p.tag == 7 || p.tag == 14;
    if (!key_packet) continue;
    auto pk = openpgp::parse_public_key(p.body, true);
    if (!pk.ok() || hex_encode_upper(pk->fingerprint) != want) continue;
    if (secret) return Bytes(p.body.begin(), p.body.end());
    return pk->body;
  }
  return input_error("key " + want + " not found in its own export");
}

}  // namespace chartprov::rnpbridge
