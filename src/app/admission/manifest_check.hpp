#pragma once
// The manifest check of one release record whose chart object matched a
// verified chart (issue 15, docs/ADMISSION.md "The manifest check"): is the
// record's manifest, with its hooks, exactly that chart rendered with the
// record's values, name and namespace? Only this shows what a record does
// not hold (vendored subcharts) and what was changed after rendering (a
// post-renderer). The rendering is the renderer's (manifest_renderer.hpp);
// the comparison is release::compare_rendering's, byte for byte.
//
// Steps, each answer final:
//  1. No renderer: kNoRenderer.
//  2. The chart rendered with --no-hooks and without, as an install
//     (revision 1) or an upgrade (revision > 1; the two differ only in
//     .Release.IsUpgrade/.IsInstall). A revision > 1 of a chart whose
//     templates read those flags is also rendered as an install (a rollback
//     to a first revision copies its manifest). A rendering that fails:
//     kRenderFailed. The record is one of them: kMatches. The two runs of one
//     rendering disagree: kNotReproducible (naming the scan's first finding,
//     as in 3, when there is one).
//  3. The record differs, and the chart's template scan (chart_store.hpp)
//     names a call or field helm template cannot reproduce (the revision only
//     for a revision > 1): kNotReproducible, naming it.
//  4. The chart rendered once more (run 1) prints other than the first time:
//     kNotReproducible, naming the first document that changed.
//  5. Otherwise kDiffers, naming the first differing document (a tampered
//     subchart, a post-renderer's edit).
// Every rendering goes through the renderer, so a cached renderer answers a
// repeated or status-only request without running helm.
#include <optional>
#include <string>

#include "app/admission/chart_store.hpp"
#include "app/admission/manifest_renderer.hpp"
#include "release/record_judgement.hpp"
#include "release/template_scan.hpp"

namespace chartprov::app {

enum class ManifestVerdict {
  kMatches,          // the manifest and hooks are the verified chart rendered with the record's inputs
  kDiffers,          // see source and manifest_form
  kNotReproducible,  // the record differs and the chart cannot be rendered reproducibly: see finding, source
  kRenderFailed,     // see detail
  kNoRenderer,       // the check cannot run: no renderer is configured
};

struct ManifestCheckResult {
  ManifestVerdict verdict = ManifestVerdict::kNoRenderer;
  // kDiffers: the first differing document's source path ("" when the
  // manifest is not in Helm's form, or only its split from the hooks
  // differs); kNotReproducible without a finding: the first document two
  // renderings printed differently.
  std::string source;
  bool manifest_form = true;                        // kDiffers: release.manifest is in the form Helm writes
  std::optional<release::TemplateFinding> finding;  // kNotReproducible: what the scan found, if anything
  std::string detail;                               // kRenderFailed: the renderer's message
  bool rendered_as_upgrade = false;                 // kMatches: which rendering it was
};

// `judgement` must have a chart (judgement.chart and .content set), `facts`
// be that chart's. `renderer` may be null.
[[nodiscard]] ManifestCheckResult check_manifest(const release::RecordJudgement& judgement,
                                                 const StoredChartFacts& facts, const ManifestRenderer* renderer);

// One fixed sentence per verdict, naming the release, the chart and the
// document, finding or failure.
[[nodiscard]] std::string describe(const ManifestCheckResult& check, const release::RecordJudgement& judgement);

}  // namespace chartprov::app
