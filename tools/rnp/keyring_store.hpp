#pragma once
// Loading keyrings and GnuPG homes into an RNP FFI object, and reading the
// facts the verifier needs about each key.
#include <filesystem>
#include <string>
#include <vector>

#include "rnp_handles.hpp"
#include "util/result.hpp"

namespace chartprov::rnpbridge {

// Loads a keyring file (binary, armored, secret, kbx) or a GnuPG home
// directory (pubring.kbx / pubring.gpg, private-keys-v1.d). Entities RNP
// cannot use are skipped (permissive), not fatal.
Result<Ffi> load_store(const std::filesystem::path& path, bool with_secrets);
// The same for keyring bytes (binary or armored), e.g. gpg's export.
Result<Ffi> load_store_bytes(const Bytes& data, const std::string& source, bool with_secrets);

// Every key (primaries and subkeys) by fingerprint.
Result<std::vector<Key>> all_keys(rnp_ffi_t ffi);

std::string fingerprint(rnp_key_handle_t key);
bool flag(rnp_result_t (*fn)(rnp_key_handle_t, bool*), rnp_key_handle_t key);
Result<Key> primary_of(rnp_ffi_t ffi, rnp_key_handle_t key);
std::vector<std::string> valid_user_ids(rnp_key_handle_t primary);

// The key's own packet body (public part) from an export of it, or, with
// secret, the whole secret-key packet body. The result is secret material
// in the second case: the caller wipes it.
Result<Bytes> key_packet_body(rnp_key_handle_t key, bool secret);

}  // namespace chartprov::rnpbridge
