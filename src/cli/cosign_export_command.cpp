#include "cli/cosign_export_command.hpp"

#include <cstdio>
#include <filesystem>

#include "app/keys/signer_source.hpp"
#include "cli/output.hpp"
#include "cli/sign_external_command.hpp"
#include "envelope/cosign/key_file.hpp"
#include "util/file.hpp"

namespace chartprov::cli {

int run_export_pem(const std::string& key, const std::string& passphrase_file, const std::string& output, bool force) {
  if (output.empty()) return report_error(usage_error("--output FILE is required (e.g. cosign.pub)"));
  if (auto st = refuse_to_overwrite({output}); !force && !st) return report_error(st.error());
  const auto secret = [&passphrase_file](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, passphrase_file);
  };
  auto opened = app::open_signer(key, secret);
  if (!opened) return report_error(opened.error());
  const auto& pub = opened->signer->public_key();
  if (auto s = cosign::check_supported_key(pub); !s)
    return report_error(s.error().with_context("cosign cannot use this key"));
  auto pem = cosign::write_cosign_public_key(pub);
  if (!pem) return report_error(pem.error());
  if (auto w = atomic_write(output, *pem, 0644); !w) return report_error(w.error());
  std::printf("Public key of %s\nKey id: %s\nWrote: %s\n", opened->signer->describe().c_str(), opened->key_id.c_str(),
              output.c_str());
  return kExitOk;
}

}  // namespace chartprov::cli
