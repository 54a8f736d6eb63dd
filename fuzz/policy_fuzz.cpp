// libFuzzer target for policy.yaml: the parser (every error must be a value
// naming a line), then the decision over a fixed piece of evidence for every
// environment that parsed. Invariants: a decision that blocks is never allowed;
// every environment that parsed has a plain name (or is "*", which enforces);
// every namespace binding names one of them; an admission section never
// weakens the "*" section, and unreproducible: chart-only comes only with
// manifest: required. Attestation requirements have a predicate type, name
// SLSA fields only for SLSA provenance v1, and have signers; a bad
// attestation beside the good one never turns a deny into an allow.
// fuzz-seeds: policy*.yaml
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "policy/decision.hpp"
#include "policy/policy.hpp"
#include "util/bytes.hpp"

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = as_chars(ByteView(data, size));
  auto parsed = policy::parse_policy(text, "policy.yaml");
  if (!parsed.ok()) {
    if (parsed.error().message.rfind("policy.yaml", 0) != 0) std::abort();
    return 0;
  }
  policy::Evidence ev;
  ev.chart = "web-a-1.0.0.tgz";
  ev.name = "web-a";
  ev.version = "1.0.0";
  policy::EnvelopeEvidence e;
  e.format = "prov";
  e.verdict = policy::Verdict::good;
  e.owner = "release-team";
  e.key_id = "0123456789abcdef0123456789abcdef";
  e.signed_at = 1'700'000'000;
  ev.envelopes.push_back(e);
  policy::AttestationEvidence a;
  a.envelope = e;
  a.envelope.format = "attestation";
  a.predicate_type = std::string(policy::kSlsaProvenanceV1);
  a.builder_id = "https://github.com/acme/charts/.github/workflows/release.yml@refs/tags/v1.0.0";
  a.source_repository = "https://github.com/acme/charts";
  a.source_ref = "refs/tags/v1.0.0";
  a.workflow_path = ".github/workflows/release.yml";
  ev.attestations.push_back(a);
  policy::Evidence with_bad = ev;
  a.envelope.verdict = policy::Verdict::bad;
  a.envelope.reason = "the attestation names another digest";
  with_bad.attestations.push_back(a);
  for (const auto& env : parsed->environments) {
    for (const auto& rule : env.rules) {
      for (const auto& req : rule.attestations) {
        const bool fields = req.builder_id || req.source_repository || req.source_ref || req.workflow;
        if (req.predicate_type.empty() || (fields && req.predicate_type != policy::kSlsaProvenanceV1)) std::abort();
        if (req.signers.empty() && req.identities.empty()) std::abort();
      }
    }
    if (env.name == "*" ? env.mode != policy::Mode::enforce : !policy::check_environment_name(env.name).ok()) {
      std::abort();
    }
    const bool chart_only_manifest = env.admission.manifest == policy::ManifestCheck::chart_only;
    const bool chart_only_fallback = env.admission.unreproducible == policy::UnreproducibleRendering::chart_only;
    if (env.name == "*" && (chart_only_manifest || chart_only_fallback)) std::abort();
    if (chart_only_manifest && chart_only_fallback) std::abort();
    const auto d = policy::evaluate(*parsed, env.name, ev, 1'800'000'000);
    if (d.allowed && d.blocks()) std::abort();
    if (!d.allowed && d.reasons.empty()) std::abort();
    if (policy::evaluate(*parsed, env.name, with_bad, 1'800'000'000).allowed && !d.allowed) std::abort();
  }
  // Every namespace binding names one of the policy's named environments, and binds a
  // namespace its own pattern matches when the pattern is a plain name.
  for (const auto& b : parsed->namespaces) {
    bool named = false;
    for (const auto& env : parsed->environments) named = named || (env.name == b.environment && env.name != "*");
    if (!named) std::abort();
    const bool plain = b.pattern.find_first_of("*?[") == std::string::npos;
    if (plain && !policy::environment_for_namespace(parsed->namespaces, b.pattern)) std::abort();
  }
  return 0;
}
