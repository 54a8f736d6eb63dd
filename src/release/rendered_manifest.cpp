#include "release/rendered_manifest.hpp"

namespace chartprov::release {
namespace {

using Documents = std::vector<ManifestDocument>;

// `helm template` prints "\n" before the hooks when nothing else was rendered.
std::string_view without_empty_manifest(std::string_view output) {
  return output.starts_with('\n') ? output.substr(1) : output;
}

Documents documents_of(std::string_view output) {
  auto docs = split_manifest(without_empty_manifest(output));
  return docs ? std::move(*docs) : Documents();
}

bool same(const ManifestDocument& a, const ManifestDocument& b) { return a.path == b.path && a.body == b.body; }

// The first position at which `record` and `rendered` differ: the record's path there, else the rendered one's.
std::optional<std::string> first_difference(const Documents& record, const Documents& rendered) {
  for (std::size_t i = 0; i < record.size() || i < rendered.size(); ++i) {
    if (i >= record.size()) return rendered[i].path;
    if (i >= rendered.size() || !same(record[i], rendered[i])) return record[i].path;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<ManifestDocument>> split_manifest(std::string_view text) {
  Documents out;
  if (text.empty()) return out;
  if (!text.starts_with(kDocumentStart) || !text.ends_with('\n')) return std::nullopt;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t path_start = pos + kDocumentStart.size();
    const std::size_t path_end = text.find('\n', path_start);
    if (path_end == std::string_view::npos) return std::nullopt;
    const std::size_t body_start = path_end + 1;
    if (body_start >= text.size()) return std::nullopt;  // no "\n" after the body
    std::size_t next = text.find(std::string("\n").append(kDocumentStart), body_start);
    const std::size_t body_end = next == std::string_view::npos ? text.size() - 1 : next;
    out.push_back({std::string(text.substr(path_start, path_end - path_start)),
                   std::string(text.substr(body_start, body_end - body_start))});
    pos = body_end + 1;
  }
  return out;
}

bool is_template_manifest_output(std::string_view output) {
  if (output == "\n") return true;
  const auto docs = split_manifest(output);
  return docs && !docs->empty();
}

std::string hooks_text(const std::vector<RecordHook>& hooks) {
  std::string out;
  for (const RecordHook& h : hooks) out.append(kDocumentStart).append(h.path).append("\n").append(h.manifest) += '\n';
  return out;
}

ManifestComparison compare_rendering(std::string_view record_manifest, const std::vector<RecordHook>& record_hooks,
                                     std::string_view manifest_only, std::string_view full) {
  ManifestComparison out;
  if (!full.starts_with(manifest_only)) {
    out.match = ManifestMatch::kRunsDisagree;
    out.source = first_differing_source(manifest_only, full);
    return out;
  }
  const std::string_view rendered_hooks = full.substr(manifest_only.size());
  const bool manifest_same =
      record_manifest.empty() ? manifest_only == "\n" : record_manifest == manifest_only && record_manifest != "\n";
  if (manifest_same && rendered_hooks == hooks_text(record_hooks)) {
    out.match = ManifestMatch::kSame;
    return out;
  }
  const auto record_docs = split_manifest(record_manifest);
  if (!record_docs) {
    out.record_form = false;
    return out;
  }
  Documents record_hook_docs;
  for (const RecordHook& h : record_hooks) record_hook_docs.push_back({h.path, h.manifest});
  auto source = first_difference(*record_docs, documents_of(manifest_only));
  if (!source) source = first_difference(record_hook_docs, documents_of(rendered_hooks));
  out.source = source.value_or("");
  return out;
}

std::string first_differing_source(std::string_view a, std::string_view b) {
  return first_difference(documents_of(a), documents_of(b)).value_or("");
}

}  // namespace chartprov::release
