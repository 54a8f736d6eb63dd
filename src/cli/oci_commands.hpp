#pragma once
// `verify oci://...` and `sign oci://...` (issue 3): charts and cosign
// signatures where they live, in an OCI registry.
#include <string>
#include <vector>

#include "app/events/audit_events.hpp"
#include "app/helpers/oci_client.hpp"
#include "app/verify/trust_material.hpp"
#include "oci/reference.hpp"

namespace chartprov::cli {

struct RegistryOptions {
  std::string version;      // helm's --version
  bool plain_http = false;  // loopback/test registries
  std::string username;
  bool password_stdin = false;
};

struct OciVerifyOptions {
  std::string reference;
  RegistryOptions registry;
  app::TrustSource trust;  // a keyring (the .prov layer) and/or a key (cosign signatures)
  std::string output;
  std::vector<std::string> signers;
  bool json = false;
};

// Registry connection for a reference: --username/--password-stdin, else
// the Docker config.
Result<app::OciConnection> connection_for(const oci::Reference& ref, const RegistryOptions& o);

int run_verify_oci(const OciVerifyOptions& o, app::DecisionEvent* event = nullptr);

// key: a key file, cosign.key, pkcs11: or exec: (passphrase_file for a key file);
// form: referrer, legacy or both (app::parse_oci_signature_form).
// event (when given) gets the reference, manifest digest and key id, or the error's reason.
int run_sign_oci(const std::string& reference, const RegistryOptions& registry, const std::string& key,
                 const std::string& passphrase_file, const std::string& form, app::Event* event = nullptr);

}  // namespace chartprov::cli
