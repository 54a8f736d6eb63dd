#include "app/admission/manifest_check.hpp"

#include <vector>

#include "release/rendered_manifest.hpp"

namespace chartprov::app {
namespace {

using release::ManifestComparison;
using release::ManifestMatch;

ManifestCheckResult failed(const Error& error) {
  ManifestCheckResult out;
  out.verdict = ManifestVerdict::kRenderFailed;
  out.detail = error.message;
  return out;
}

// The first finding that can explain a difference in a record of `revision`.
std::optional<release::TemplateFinding> explaining(const release::TemplateScan& scan, std::int64_t revision) {
  for (const release::TemplateFinding& f : scan.findings) {
    if (f.cause != release::Unreproducible::kRevision || revision > 1) return f;
  }
  return std::nullopt;
}

}  // namespace

ManifestCheckResult check_manifest(const release::RecordJudgement& judgement, const StoredChartFacts& facts,
                                   const ManifestRenderer* renderer) {
  ManifestCheckResult out;
  if (renderer == nullptr) return out;  // kNoRenderer
  const release::RecordContent& c = judgement.content;
  RenderRequest request;
  request.chart = facts.copy;
  request.chart_digest = facts.digest;
  request.release_name = judgement.release_name;
  request.namespace_name = c.namespace_name;
  request.values = c.config;
  std::vector<bool> renderings = {c.revision > 1};
  if (c.revision > 1 && facts.scan.reads_install_flags) renderings.push_back(false);

  std::optional<ManifestComparison> first;
  RenderRequest first_request;
  std::string first_full;
  for (const bool upgrade : renderings) {
    request.is_upgrade = upgrade;
    request.hooks = false;
    auto manifest_only = renderer->render(request);
    if (!manifest_only) return failed(manifest_only.error());
    request.hooks = true;
    auto full = renderer->render(request);
    if (!full) return failed(full.error());
    const ManifestComparison cmp = release::compare_rendering(c.manifest, c.hooks, manifest_only->text, full->text);
    if (cmp.match == ManifestMatch::kSame) {
      out.verdict = ManifestVerdict::kMatches;
      out.rendered_as_upgrade = upgrade;
      return out;
    }
    if (cmp.match == ManifestMatch::kRunsDisagree) {
      out.verdict = ManifestVerdict::kNotReproducible;
      out.source = cmp.source;
      out.finding = explaining(facts.scan, c.revision);
      return out;
    }
    if (!first) {
      first = cmp;
      first_request = request;
      first_full = std::move(full->text);
    }
  }
  out.source = first->source;
  out.manifest_form = first->record_form;
  if (auto finding = explaining(facts.scan, c.revision)) {
    out.verdict = ManifestVerdict::kNotReproducible;
    out.finding = std::move(finding);
    return out;
  }
  first_request.run = 1;
  auto again = renderer->render(first_request);
  if (!again) return failed(again.error());
  if (again->text != first_full) {
    out.verdict = ManifestVerdict::kNotReproducible;
    out.source = release::first_differing_source(first_full, again->text);
    return out;
  }
  out.verdict = ManifestVerdict::kDiffers;
  return out;
}

std::string describe(const ManifestCheckResult& check, const release::RecordJudgement& j) {
  const std::string chart = "chart " + j.chart_name + " " + j.chart_version;
  const std::string release = "release " + j.release_name + ": ";
  const std::string differs = release + "the manifest is not " + chart + " rendered with the release's values";
  switch (check.verdict) {
    case ManifestVerdict::kMatches: return release + "the manifest is " + chart + " rendered with the release's values";
    case ManifestVerdict::kDiffers:
      if (!check.manifest_form) return differs + " (it is not in the form helm writes: a post-renderer?)";
      if (check.source.empty()) return differs + " (its documents are split between manifest and hooks otherwise)";
      return differs + ", first at " + check.source;
    case ManifestVerdict::kNotReproducible:
      if (check.finding) {
        return differs + ", and that chart cannot be rendered reproducibly: " + check.finding->path + " uses " +
               check.finding->name + ", which " + std::string(release::describe(check.finding->cause));
      }
      return release + "two renderings of " + chart +
             " with the release's values differ, so its manifest cannot be checked (first at " + check.source + ")";
    case ManifestVerdict::kRenderFailed:
      return release + chart + " could not be rendered with the release's values: " + check.detail;
    case ManifestVerdict::kNoRenderer:
      return release + "the manifest check is required, but no renderer (helm) is configured";
  }
  return release + "the manifest was not checked";
}

}  // namespace chartprov::app
