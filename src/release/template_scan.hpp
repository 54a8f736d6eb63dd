#pragma once
// What in a verified chart's templates can make `helm template` print other
// than what an install rendered (issue 15, the manifest check): the calls and
// fields that read the cluster, DNS, a random source, the clock or the
// revision. Read once per chart, when the chart store is loaded; the manifest
// check names the first finding when a record's manifest differs from the
// rendering. Pure: no rendering, no I/O.
//
// Scanned: every template file of the chart and of its vendored subcharts
// (templates/**, partials and NOTES.txt included: a define anywhere may be
// included anywhere). Only the inside of Go template actions counts, as
// text/template lexes them: "{{" (or "{{- ") to "}}" (or " -}}"); comments
// ("{{/* ... */}}"), string, raw string and character literals are skipped,
// except that a string literal naming a revision or install field counts
// (`index .Release "Revision"`). An identifier is a function call when it
// does not follow '.' or '$' (those are fields and variables); a field is an
// identifier that follows '.'.
//
// What a scan cannot see (a value rendered through `tpl`, a whole .Release
// printed with toYaml) still shows as a difference, and a difference is a
// denial: the scan only explains one.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "release/verified_chart.hpp"

namespace chartprov::release {

// Why a rendering may not be reproducible.
enum class Unreproducible {
  kClusterState,  // lookup: `helm template` renders it as an empty map; an install read the cluster
  kDns,           // getHostByName: resolved only by an install with --enable-dns
  kRandom,        // randAlphaNum, randAlpha, randNumeric, randAscii, randInt, randBytes, uuidv4, shuffle,
                  // genPrivateKey, genCA, genCAWithKey, genSelfSignedCert, genSelfSignedCertWithKey,
                  // genSignedCert, genSignedCertWithKey, bcrypt, htpasswd, encryptAES
  kClock,         // now, ago, date, dateInZone, date_in_zone, htmlDate, htmlDateInZone, dateModify,
                  // date_modify, mustDateModify, durationRound, toDate, mustToDate, unixEpoch: the
                  // time or the time zone of the rendering
  kRevision,      // the Revision field: `helm template` always renders .Release.Revision as 1
};

// "reads the cluster (lookup)", ...: the cause, for reasons.
[[nodiscard]] std::string_view describe(Unreproducible cause);

struct TemplateFinding {
  Unreproducible cause = Unreproducible::kRandom;
  std::string path;  // "<chart>/templates/_helpers.tpl", "<chart>/charts/<sub>/templates/x.yaml"
  std::string name;  // the function ("randAlphaNum") or ".Revision"
};

// At most this many findings are kept (the first in path order).
inline constexpr std::size_t kMaxTemplateFindings = 64;

struct TemplateScan {
  std::vector<TemplateFinding> findings;  // by template path, then position; one per path and name
  bool reads_install_flags = false;       // a template reads .IsUpgrade or .IsInstall
};

[[nodiscard]] TemplateScan scan_templates(const VerifiedChart& chart);

// The findings of one template's text, appended to `scan` under `path`.
void scan_template_text(std::string_view text, const std::string& path, TemplateScan& scan);

}  // namespace chartprov::release
