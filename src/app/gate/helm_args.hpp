#pragma once
// The deploy gate's view of a helm command line (`chartprov helm install|
// upgrade|template|rollback ARGS...`): which arguments are the gate's own,
// which are helm's, and which of helm's positionals is the CHART (rollback
// has none: it redeploys a stored release, which cannot be verified, so it is
// a deny that only warn or off lets through). Helm parses with
// pflag, so this does the same: `--flag value`, `--flag=value`, `-fvalue`,
// `-f value`, `-abc` (bools run together), flags whose value is optional
// (`--dry-run`, `--wait`: only `=value` gives one), and `--` ending flags.
// A helm flag chartprov does not know cannot be split safely (does it take
// the next argument?), so a bare unknown flag is an error; `--x=value` is
// unambiguous and passed on. Helm's flags go after the command: before it,
// cobra looks for the command by other rules than pflag's (an unknown flag
// takes the next argument), so `helm --atomic template install C` runs
// install; any helm flag but -h/--help before the command is refused (the
// gate's own flags may come anywhere: they never reach helm). No I/O except
// classify_chart().
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace chartprov::app {

// One of the gate's own long options (no short forms: helm owns those).
struct GateFlag {
  std::string name;  // without the dashes: "env", "trust-dir"
  bool takes_value = true;
};

struct HelmArgs {
  std::string command;                 // install | upgrade | template | rollback
  std::size_t command_index = 0;       // where it is in helm_args (0: no helm flag may come first)
  std::vector<std::string> gate_args;  // the gate's flags, each as "--name=value" or "--name"
  std::vector<std::string> helm_args;  // helm's, unchanged and in order (the command included)
  std::size_t chart_index = 0;         // helm_args[chart_index] is the CHART (not for rollback)
  std::string chart;                   // rollback: "helm rollback RELEASE [REVISION]", for messages
  std::string release, revision;       // rollback only
  std::size_t positionals = 0;         // NAME and CHART, as helm counts them

  // Helm's flags that the gate reads (the last one wins, as in helm).
  std::string version;                      // --version
  std::vector<std::size_t> version_tokens;  // where --version and its value are in helm_args
  bool plain_http = false;
  std::optional<std::string> username, password;
  std::optional<std::string> repo;  // --repo: helm would look the chart up there
  bool dependency_update = false;   // --dependency-update: helm would fetch subcharts
  bool verify = false;              // helm's own --verify
  bool help = false;                // -h/--help: helm prints help and deploys nothing
};

// Splits `args` (everything after `chartprov helm`). Errors are usage
// errors: no install/upgrade/template/rollback command, a helm flag before
// the command, a gate flag without its value, an unknown bare helm flag, a
// CHART that cannot be found among the positionals (install/template: [NAME]
// CHART; upgrade: RELEASE CHART), rollback without RELEASE [REVISION] or with
// an empty RELEASE.
Result<HelmArgs> split_helm_args(const std::vector<std::string>& args, const std::vector<GateFlag>& gate_flags);

enum class ChartKind {
  archive,     // a file (or a path that looks like one): the gate verifies it
  oci,         // oci://HOST/REPO/NAME[:TAG|@DIGEST]
  directory,   // an unpackaged chart: there is no signed artifact to check
  url,         // http(s)://... or any other scheme: helm would download it
  repository,  // repo/chart or a bare name: helm would look it up in a repository
};

struct ChartSource {
  ChartKind kind = ChartKind::archive;
  std::string reason;  // why it cannot be verified (empty for archive and oci)
};

// Looks at the file system as helm would (an existing path wins over every
// other reading). Nothing is read: decide() reads the archive once.
ChartSource classify_chart(std::string_view chart);

// Every reason why what helm would deploy is not what the gate can verify:
// the chart's kind, --repo, --dependency-update; for rollback, always one
// (the stored release). Empty: the gate can verify it.
std::vector<std::string> ungatable_reasons(const HelmArgs& args, const ChartSource& source);

// Helm's argv after the verification: CHART replaced by `chart` (the
// private copy) and, when `drop_version`, the --version flags removed (the
// gate resolved an oci:// version; the copy is a local file).
std::vector<std::string> helm_argv_with_chart(const HelmArgs& args, const std::string& chart, bool drop_version);

// Go's strconv.ParseBool, as pflag reads `--flag=value` for bool flags.
std::optional<bool> parse_go_bool(std::string_view text);

}  // namespace chartprov::app
