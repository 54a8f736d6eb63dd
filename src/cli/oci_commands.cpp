#include "cli/oci_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/sign/oci_sign.hpp"
#include "app/verify/verify_plain.hpp"
#include "cli/output.hpp"
#include "cli/sign_external_command.hpp"
#include "oci/reference.hpp"

namespace chartprov::cli {

Result<app::OciConnection> connection_for(const oci::Reference& ref, const RegistryOptions& o) {
  app::OciConnection c;
  c.registry = ref.registry;
  c.plain_http = o.plain_http;
  if (o.password_stdin) {
    if (o.username.empty()) return usage_error("--password-stdin needs --username");
    std::string line;
    char ch = 0;
    while (::read(0, &ch, 1) == 1 && ch != '\n') {
      if (line.size() > 4096) return input_error("password longer than 4096 bytes");
      line.push_back(ch);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    c.username = o.username;
    c.password = SecretString(std::move(line));
  } else if (!o.username.empty()) {
    return usage_error("--username needs --password-stdin (passwords are never taken from the command line)");
  } else {
    TRY_STATUS(app::resolve_registry_credentials(c));
  }
  return c;
}

int run_verify_oci(const OciVerifyOptions& o, app::DecisionEvent* event) {
  auto ref = oci::parse_reference(o.reference, o.registry.version);
  if (!ref) return report_error(ref.error(), o.json);
  auto conn = connection_for(*ref, o.registry);
  if (!conn) return report_error(conn.error(), o.json);
  if (!o.trust.keyring && !o.trust.key)
    return report_error(usage_error("give --keyring (the .prov layer) or --key (cosign signatures)"), o.json);
  const auto material = app::load_trust_material(o.trust, 0);
  if (!material) return report_error(material.error(), o.json);
  app::OciVerifyRequest req;
  req.reference = *ref;
  req.connection = std::move(*conn);
  req.material = &*material;
  req.pinned_signers = o.signers;
  auto plain = app::verify_plain_oci(std::move(req));
  if (!plain) return report_error(plain.error(), o.json);
  const app::OciVerifyReport* r = &plain->report;
  std::optional<std::string> saved;
  if (!o.output.empty() && r->verified) {
    if (auto s = app::save_oci_chart(*r, o.output, false); !s) return report_error(s.error(), o.json);
    saved = o.output;
  }
  if (event != nullptr) {
    *event = {ref->display(), r->chart_name, r->chart_version, r->chart_digest, "", {}, r->verified, r->reasons};
    if (r->prov && r->prov->signer() != nullptr) event->signers.push_back(r->prov->signer()->fingerprint);
    if (r->cosign_signatures > 0) event->signers.push_back("cosign:" + o.trust.key->string());
  }
  if (o.json) {
    nlohmann::json j = {
        {"verified", r->verified},
        {"reference", ref->display()},
        {"manifest_digest", r->manifest_digest},
        {"chart", {{"name", r->chart_name}, {"version", r->chart_version}, {"digest", r->chart_digest}}},
        {"cosign_signatures", r->cosign_signatures},
        {"reasons", r->reasons}};
    if (r->prov && r->prov->signer() != nullptr) j["signer"] = {{"fingerprint", r->prov->signer()->fingerprint}};
    if (saved) j["output"] = *saved;
    std::printf("%s\n", j.dump(2).c_str());
  }
  if (!r->verified) {
    std::fprintf(stderr, "chartprov: verification FAILED for %s\n", ref->display().c_str());
    for (const auto& reason : r->reasons) std::fprintf(stderr, "  - %s\n", reason.c_str());
    return kExitFailed;
  }
  if (!o.json) {
    if (r->prov && r->prov->signer() != nullptr) {
      for (const auto& uid : r->prov->signer()->user_ids) std::printf("Signed by: %s\n", uid.c_str());
      std::printf("Fingerprint: %s\n", r->prov->signer()->fingerprint.c_str());
    }
    if (r->cosign_signatures > 0) std::printf("cosign signatures: %d good\n", r->cosign_signatures);
    std::printf("Chart: %s %s\nManifest: %s\nDigest: %s\nVerified: %s\n", r->chart_name.c_str(),
                r->chart_version.c_str(), r->manifest_digest.c_str(), r->chart_digest.c_str(), ref->display().c_str());
    if (saved) std::printf("Saved: %s\n", saved->c_str());
  }
  return kExitOk;
}

int run_sign_oci(const std::string& reference, const RegistryOptions& registry, const std::string& key,
                 const std::string& passphrase_file, const std::string& form, app::Event* event) {
  const auto fail = [event](const Error& e) {
    if (event != nullptr) event->reasons.push_back(e.message);
    return report_error(e);
  };
  if (key.empty()) return fail(usage_error("--key is required"));
  const auto signature_form = app::parse_oci_signature_form(form);
  if (!signature_form) return fail(signature_form.error());
  auto ref = oci::parse_reference(reference, registry.version);
  if (!ref) return fail(ref.error());
  const auto secret = [&passphrase_file](app::SecretKind kind, const std::string& prompt) {
    return obtain_secret(kind, prompt, passphrase_file);
  };
  auto signer = app::open_signer(key, secret);
  if (!signer) return fail(signer.error());
  auto conn = connection_for(*ref, registry);
  if (!conn) return fail(conn.error());
  app::OciSignRequest req;
  req.reference = *ref;
  req.connection = std::move(*conn);
  req.signer = &*signer;
  req.form = *signature_form;
  const auto r = app::sign_oci_chart(std::move(req));
  if (!r) return fail(r.error());
  if (event != nullptr) {
    event->chart = ref->display();
    event->name = ref->name();
    event->version = ref->tag;
    event->digest = r->manifest_digest;
    event->signers = {signer->key_id};
  }
  const std::string where = ref->registry + "/" + ref->repository;
  std::printf("Signed %s (manifest %s)\n", ref->display().c_str(), r->manifest_digest.c_str());
  if (const auto& l = r->legacy) {
    std::printf("Signature: %s:%s (%d signature%s%s)\n", where.c_str(), l->tag.c_str(), l->layers,
                l->layers == 1 ? "" : "s", l->already_signed ? "; this one was already there" : "");
  }
  if (const auto& b = r->referrer) {
    const int n = b->bundle_referrers;
    const std::string count = std::to_string(n) + " Sigstore bundle referrer" + (n == 1 ? "" : "s");
    if (b->already_signed) {
      std::printf("Referrer: this key's bundle was already there (%s)\n", count.c_str());
    } else {
      const std::string listed = b->referrers_api ? std::string("listed by the registry's referrers API")
                                 : b->tag_updated ? "listed in the referrers tag " + b->referrers_tag
                                                  : "already listed in the referrers tag " + b->referrers_tag;
      std::printf("Referrer: %s@%s (%s; %s)\n", where.c_str(), b->manifest_digest.c_str(), count.c_str(),
                  listed.c_str());
    }
  }
  std::printf("Key id: %s\n", signer->key_id.c_str());
  return kExitOk;
}

}  // namespace chartprov::cli
