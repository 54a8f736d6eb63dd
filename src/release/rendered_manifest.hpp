#pragma once
// The manifest check's comparison (issue 15, "The manifest must come from
// that chart"): a record's `manifest` and `hooks` against what `helm
// template` printed for the verified chart with the record's values, name
// and namespace. Pure: the rendering is the caller's.
//
// The form Helm writes. Install, upgrade and template render alike (helm
// pkg/action/action.go renderResources): each rendered document, sorted by
// kind for install, is written as
//     "---\n# Source: <path>\n<document>\n"
// where <document> is one YAML document of a template's output, trimmed of
// white space (releaseutil.SplitManifests splits at every line that starts
// with "---", so no document holds a "\n---"). release.manifest is the
// concatenation of the documents that are not hooks ("" when there are
// none); hooks are kept apart in release.hooks[] as {path, manifest}, in
// Helm's hook order; NOTES.txt and crds/ are in neither. `helm template`
// (pkg/cmd/template.go, v3 and v4 alike) prints
//     TrimSpace(release.manifest) + "\n"
// and then, unless --no-hooks, "---\n# Source: <path>\n<manifest>\n" for
// each hook in order. So one run with --no-hooks gives the manifest exactly
// ("\n" for none), and a run without it the same text followed by the hooks.
//
// The comparison is byte for byte, with no normalisation: the record matches
// when
//   - release.manifest is the --no-hooks output (or "" when that is "\n"),
//   - the full output begins with the --no-hooks output (two runs of one
//     rendering that disagree are a chart that renders differently each
//     time: kRunsDisagree), and
//   - the rest of the full output is exactly the record's hooks written in
//     the form above, in the record's order.
// Document order, white space, comments and the split between manifest and
// hooks all count: anything Helm would not have written (a post-renderer's
// edits, a document moved between manifest and hooks, a reordering) differs.
// Hooks' other fields (events, weight, delete policies, last_run) are not
// compared.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "release/release_model.hpp"

namespace chartprov::release {

inline constexpr std::string_view kDocumentStart = "---\n# Source: ";

// One document of a manifest as Helm writes it.
struct ManifestDocument {
  std::string path;  // after "# Source: "
  std::string body;  // the document, without the "\n" that ends it
};

// The documents of `text` in the form Helm writes: "" (none), or
// kDocumentStart PATH "\n" BODY "\n", repeated, where each BODY runs to the
// next "\n" kDocumentStart or to the final "\n". nullopt when `text` is not
// in that form (it does not start with kDocumentStart, a PATH line does not
// end, or the text does not end with "\n").
[[nodiscard]] std::optional<std::vector<ManifestDocument>> split_manifest(std::string_view text);

// Whether `output` is what `helm template --no-hooks` prints: "\n", or text
// in the form above.
[[nodiscard]] bool is_template_manifest_output(std::string_view output);

// The record's hooks written as `helm template` prints them.
[[nodiscard]] std::string hooks_text(const std::vector<RecordHook>& hooks);

enum class ManifestMatch {
  kSame,          // the record's manifest and hooks are exactly the rendering
  kDiffers,       // see source
  kRunsDisagree,  // the two runs of one rendering printed different manifests (see source)
};

struct ManifestComparison {
  ManifestMatch match = ManifestMatch::kDiffers;
  // kDiffers: the source path of the first document, in the record's order
  // (manifest, then hooks), that is not the rendered document at the same
  // position, or, when the record has fewer documents, of the first rendered
  // document it lacks; "" when the record's manifest is not in Helm's form
  // (record_form is false) or only the split between manifest and hooks
  // differs. kRunsDisagree: the first source path at which the two runs differ.
  std::string source;
  bool record_form = true;  // release.manifest is in the form Helm writes
};

// `manifest_only`: the output of `helm template --no-hooks`; `full`: of the
// same command without --no-hooks. Both are checked by the caller
// (is_template_manifest_output); anything else here only differs.
[[nodiscard]] ManifestComparison compare_rendering(std::string_view record_manifest,
                                                   const std::vector<RecordHook>& record_hooks,
                                                   std::string_view manifest_only, std::string_view full);

// The source path of the first document at which two outputs of `helm
// template` differ ("" when they are equal, or when neither splits).
[[nodiscard]] std::string first_differing_source(std::string_view a, std::string_view b);

}  // namespace chartprov::release
