#pragma once
// verify oci://: pull a chart pushed with `helm push` and verify it where it
// lives (issue 3): the chart layer by its digest, the .prov layer with a
// keyring, cosign signatures of the manifest with a key (legacy .sig tag and
// OCI 1.1 referrers). Only verified bytes are ever saved (--output).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/helpers/oci_client.hpp"
#include "app/verify/verify.hpp"
#include "infra/openssl/pkey.hpp"
#include "oci/reference.hpp"

namespace chartprov::app {

struct OciVerifyRequest {
  oci::Reference reference;
  OciConnection connection;
  std::optional<std::filesystem::path> keyring;  // the .prov layer
  std::vector<std::string> pinned_signers;
  std::optional<std::filesystem::path> key_history;
  bool use_keyring_cache = true;
  std::optional<std::filesystem::path> key;  // cosign.pub: signatures of the manifest
  std::optional<std::filesystem::path> trusted_root;
  std::optional<std::filesystem::path> output;  // save the verified chart here
  bool output_unverified = false;
  // decide() with a trust root: fetch the .prov layer whatever the keyring
  // (saved as OUTPUT.prov), and count cosign signatures by each of these keys.
  bool fetch_prov = false;
  std::vector<const crypto::PKey*>
      trusted_keys;  // save the chart read even when it did not verify (decide: the policy judges)
  std::int64_t now = 0;
};

struct OciVerifyReport {
  bool verified = false;
  std::string manifest_digest;  // what cosign signs
  std::string chart_digest;     // sha256 of the chart bytes (the chart layer)
  std::string chart_name, chart_version;
  std::optional<VerifyReport> prov;      // with a keyring
  int cosign_signatures = 0;             // good ones, legacy and referrers
  std::string key_id;                    // the --key's SPKI key id
  std::vector<int> good_by_trusted_key;  // cosign signatures per trusted_keys entry
  std::vector<std::string> reasons;
  // Of those, the ones about the chart itself (manifest digest, name,
  // version): no signature can make up for them.
  std::vector<std::string> chart_problems;
  std::optional<std::filesystem::path> saved;
};

Result<OciVerifyReport> verify_oci_chart(OciVerifyRequest request);

}  // namespace chartprov::app
