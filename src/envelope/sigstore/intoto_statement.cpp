#include "envelope/sigstore/intoto_statement.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "infra/json/untrusted_json.hpp"

namespace chartprov::sigstore {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxStatement = 4u << 20;

bool lower_hex(const std::string& s) {
  return !s.empty() && s.size() % 2 == 0 && s.size() <= 256 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<StatementSubject> parse_subject(const json& s) {
  if (!s.is_object()) return input_error("an in-toto subject is not an object");
  StatementSubject out;
  if (const auto n = s.find("name"); n != s.end()) {
    if (!n->is_string()) return input_error("an in-toto subject's name is not a string");
    out.name = n->get<std::string>();
  }
  const auto d = s.find("digest");
  if (d == s.end() || !d->is_object() || d->empty()) return input_error("an in-toto subject has no digest");
  for (const auto& [alg, value] : d->items()) {
    if (!value.is_string() || !lower_hex(value.get<std::string>()))
      return input_error("an in-toto subject's " + alg + " digest is not lower-case hex");
    out.digests.emplace_back(alg, value.get<std::string>());
  }
  return out;
}

// A string member, or "" when absent; an error when present with another type.
Result<std::string> text_at(const json& obj, std::initializer_list<const char*> path) {
  const json* at = &obj;
  for (const char* key : path) {
    if (!at->is_object())
      return input_error(std::string("provenance: ") + key + " is under a value that is not an object");
    const auto it = at->find(key);
    if (it == at->end() || it->is_null()) return std::string();
    at = &*it;
  }
  if (!at->is_string()) return input_error(std::string("provenance: ") + *(path.end() - 1) + " is not a string");
  return at->get<std::string>();
}

}  // namespace

const std::string* StatementSubject::digest(std::string_view algorithm) const {
  for (const auto& [alg, hex] : digests) {
    if (alg == algorithm) return &hex;
  }
  return nullptr;
}

bool Statement::names_sha256(std::string_view hex) const {
  return std::any_of(subjects.begin(), subjects.end(), [&](const StatementSubject& s) {
    const std::string* d = s.digest("sha256");
    return d != nullptr && *d == hex;
  });
}

Result<Statement> parse_statement(std::string_view payload) {
  if (payload.size() > kMaxStatement) return input_error("the in-toto statement is larger than 4 MiB");
  const json doc = parse_untrusted_json(payload);
  if (doc.is_discarded() || !doc.is_object()) return input_error("the DSSE payload is not an in-toto statement");
  Statement st;
  const auto type = doc.find("_type");
  if (type == doc.end() || !type->is_string()) return input_error("the in-toto statement has no _type");
  st.type = type->get<std::string>();
  if (st.type != "https://in-toto.io/Statement/v1" && st.type != "https://in-toto.io/Statement/v0.1")
    return input_error("unsupported in-toto statement type \"" + st.type + "\"");
  const auto subjects = doc.find("subject");
  if (subjects == doc.end() || !subjects->is_array() || subjects->empty())
    return input_error("the in-toto statement names no subject");
  if (subjects->size() > kMaxSubjects) return input_error("the in-toto statement names too many subjects");
  for (const auto& s : *subjects) {
    TRY(StatementSubject subject, parse_subject(s));
    st.subjects.push_back(std::move(subject));
  }
  const auto pt = doc.find("predicateType");
  if (pt == doc.end() || !pt->is_string() || pt->get<std::string>().empty())
    return input_error("the in-toto statement has no predicateType");
  st.predicate_type = pt->get<std::string>();
  if (const auto p = doc.find("predicate"); p != doc.end() && !p->is_null()) {
    if (!p->is_object()) return input_error("the in-toto predicate is not an object");
    st.predicate_json = p->dump();
  }
  return st;
}

Result<SlsaProvenance> parse_slsa_provenance(std::string_view predicate_json) {
  const json p = parse_untrusted_json(predicate_json);
  if (p.is_discarded() || !p.is_object()) return input_error("the SLSA provenance predicate is not an object");
  SlsaProvenance out;
  TRY(out.builder_id, text_at(p, {"runDetails", "builder", "id"}));
  if (out.builder_id.empty()) return input_error("the SLSA provenance names no builder (runDetails.builder.id)");
  TRY(out.build_type, text_at(p, {"buildDefinition", "buildType"}));
  TRY(out.source_repository, text_at(p, {"buildDefinition", "externalParameters", "workflow", "repository"}));
  TRY(out.source_ref, text_at(p, {"buildDefinition", "externalParameters", "workflow", "ref"}));
  TRY(out.workflow_path, text_at(p, {"buildDefinition", "externalParameters", "workflow", "path"}));
  if (const auto bd = p.find("buildDefinition"); bd != p.end() && bd->is_object()) {
    if (const auto deps = bd->find("resolvedDependencies"); deps != bd->end() && !deps->is_null()) {
      if (!deps->is_array()) return input_error("provenance: resolvedDependencies is not a list");
      for (const auto& d : *deps) {
        if (!d.is_object()) return input_error("provenance: a resolved dependency is not an object");
        if (const auto u = d.find("uri"); u != d.end() && u->is_string())
          out.resolved_uris.push_back(u->get<std::string>());
      }
    }
  }
  return out;
}

}  // namespace chartprov::sigstore
