#pragma once
// The OpenPGP certificate of any signer's key (HSM, exec plugin, key file),
// for helm's keyring: PREFIX.pub.gpg (binary) and PREFIX.pub.asc (armored).
// The self-signature is made by the signer itself. With a key history the
// key is recorded (active, with this creation time and fingerprint), so later
// `sign` calls find the same OpenPGP identity.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "app/keys/signer_source.hpp"
#include "util/result.hpp"

namespace chartprov::app {

struct OpenPgpExportRequest {
  const OpenedSigner* signer = nullptr;
  std::string user_id;
  std::uint32_t created = 0;  // 0: the key file's, the history's, else now (and recorded)
  std::optional<std::uint32_t> expires_after;
  std::filesystem::path output_prefix;
  std::optional<std::filesystem::path> key_history;
  std::string location;  // recorded in the history (URI without PIN, path)
  std::int64_t now = 0;
  bool overwrite = false;
};

struct OpenPgpExportResult {
  std::filesystem::path binary, armored;
  std::string fingerprint;
  std::uint32_t created = 0;
  bool recorded = false;  // added to the key history
};

Result<OpenPgpExportResult> export_openpgp_certificate(const OpenPgpExportRequest& request);

}  // namespace chartprov::app
