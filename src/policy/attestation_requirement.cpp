#include "policy/attestation_requirement.hpp"

#include "policy/policy_values.hpp"
#include "policy/signer_list.hpp"

namespace chartprov::policy {
namespace {

using yaml::YamlNode;

// The fields of SLSA provenance v1 a requirement may name.
struct Field {
  std::string key;    // policy.yaml's key; KEY_regexp is the pattern form
  std::string words;  // in reasons
  std::optional<TextMatch> AttestationRequirement::*required;
  std::string AttestationEvidence::*found;
};

const std::vector<Field>& fields() {
  static const std::vector<Field> kFields = {
      {"builder_id", "builder id", &AttestationRequirement::builder_id, &AttestationEvidence::builder_id},
      {"source_repository", "source repository", &AttestationRequirement::source_repository,
       &AttestationEvidence::source_repository},
      {"source_ref", "source ref", &AttestationRequirement::source_ref, &AttestationEvidence::source_ref},
      {"workflow", "workflow", &AttestationRequirement::workflow, &AttestationEvidence::workflow_path},
  };
  return kFields;
}

const Field* field_of(const std::string& key) {
  for (const auto& f : fields()) {
    if (key == f.key || key == f.key + "_regexp") return &f;
  }
  return nullptr;
}

Result<AttestationRequirement> parse_requirement(const YamlNode& node, const LineErrors& err) {
  if (node.kind != YamlNode::Kind::kMapping) {
    return err.at(node, "an attestation requirement must be a mapping (predicate_type:, builder_id:, ...)");
  }
  AttestationRequirement req;
  req.line = node.line;
  const YamlNode* first_field = nullptr;
  for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
    const YamlNode& key = node.children[i];
    const YamlNode& value = node.children[i + 1];
    if (key.value == "predicate_type") {
      TRY(req.predicate_type, scalar(err, value, "predicate_type"));
    } else if (key.value == "signers") {
      TRY(SignerList list, parse_signer_list(err, value));
      req.signers = std::move(list.signers);
      req.identities = std::move(list.identities);
      req.names_signers = true;
    } else if (const Field* f = field_of(key.value); f != nullptr) {
      auto& slot = req.*(f->required);
      if (slot) return err.at(key, key.value + ": give one of " + f->key + ", " + f->key + "_regexp");
      TRY(std::string v, scalar(err, value, key.value));
      auto m = key.value == f->key ? TextMatch::exact(std::move(v)) : TextMatch::regexp(std::move(v));
      if (!m) return err.at(value, key.value + ": " + m.error().message);
      slot = std::move(*m);
      if (first_field == nullptr) first_field = &key;
    } else {
      return err.at(key, "unknown attestation key \"" + key.value +
                             "\" (expected predicate_type, builder_id, source_repository, source_ref, workflow "
                             "(each also as _regexp), signers)");
    }
  }
  if (req.predicate_type.empty()) {
    return err.at(node,
                  "an attestation requirement needs predicate_type: (e.g. " + std::string(kSlsaProvenanceV1) + ")");
  }
  if (first_field != nullptr && req.predicate_type != kSlsaProvenanceV1) {
    return err.at(*first_field,
                  first_field->value + ": only SLSA provenance v1 (predicate_type " + std::string(kSlsaProvenanceV1) +
                      ") names a builder, a source and a workflow; this requirement's type is " + req.predicate_type);
  }
  return req;
}

}  // namespace

std::string AttestationRequirement::describe() const {
  std::string given;
  for (const auto& f : fields()) {
    const auto& m = this->*(f.required);
    if (m) given += (given.empty() ? "" : ", ") + f.key + " " + m->describe();
  }
  return given.empty() ? predicate_type : predicate_type + " (" + given + ")";
}

std::string AttestationRequirement::field_mismatch(const AttestationEvidence& attestation) const {
  for (const auto& f : fields()) {
    const auto& m = this->*(f.required);
    if (!m) continue;
    const std::string& value = attestation.*(f.found);
    if (value.empty()) return "names no " + f.words + " (required: " + m->describe() + ")";
    if (m->matches(value)) continue;
    return f.words + " \"" + value + "\" " +
           (m->is_regexp() ? "does not match " + m->describe() : "is not \"" + m->text() + "\"");
  }
  return "";
}

Result<std::vector<AttestationRequirement>> parse_attestation_requirements(const YamlNode& node,
                                                                           const LineErrors& err) {
  if (node.kind != YamlNode::Kind::kSequence || node.children.empty()) {
    return err.at(node, "attestations must be a list of requirements (- predicate_type: ...)");
  }
  if (node.children.size() > kMaxAttestationRequirements) {
    return err.at(node,
                  "too many attestation requirements (at most " + std::to_string(kMaxAttestationRequirements) + ")");
  }
  std::vector<AttestationRequirement> out;
  for (const auto& item : node.children) {
    TRY(AttestationRequirement req, parse_requirement(item, err));
    out.push_back(std::move(req));
  }
  return out;
}

}  // namespace chartprov::policy
