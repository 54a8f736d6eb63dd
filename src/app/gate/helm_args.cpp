#include "app/gate/helm_args.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <system_error>

namespace chartprov::app {
namespace {

// How pflag takes a flag's value.
enum class Arity {
  none,      // bool: `--flag` or `--flag=true|false`
  required,  // `--flag VALUE` (the next argument, whatever it looks like) or `--flag=VALUE`
  optional,  // NoOptDefVal set: `--flag` alone, a value only as `--flag=VALUE`
};

struct HelmFlag {
  std::string_view name;
  char shorthand = 0;
  Arity arity = Arity::none;
};

// Every flag of `helm install`, `helm upgrade` and `helm template` in helm
// v4 (4.1) and v3 (3.17), with helm's global flags (`helm <cmd> --help`).
// One difference between commands: v4's upgrade --server-side takes a
// string, install's and template's is a bool (see arity_for).
constexpr std::array kHelmFlags{
    // Taking a value.
    HelmFlag{"api-versions", 'a', Arity::required},
    HelmFlag{"burst-limit", 0, Arity::required},
    HelmFlag{"ca-file", 0, Arity::required},
    HelmFlag{"cert-file", 0, Arity::required},
    HelmFlag{"color", 0, Arity::required},
    HelmFlag{"colour", 0, Arity::required},
    HelmFlag{"content-cache", 0, Arity::required},
    HelmFlag{"description", 0, Arity::required},
    HelmFlag{"history-max", 0, Arity::required},
    HelmFlag{"key-file", 0, Arity::required},
    HelmFlag{"keyring", 0, Arity::required},
    HelmFlag{"kube-apiserver", 0, Arity::required},
    HelmFlag{"kube-as-group", 0, Arity::required},
    HelmFlag{"kube-as-user", 0, Arity::required},
    HelmFlag{"kube-ca-file", 0, Arity::required},
    HelmFlag{"kube-context", 0, Arity::required},
    HelmFlag{"kube-tls-server-name", 0, Arity::required},
    HelmFlag{"kube-token", 0, Arity::required},
    HelmFlag{"kube-version", 0, Arity::required},
    HelmFlag{"kubeconfig", 0, Arity::required},
    HelmFlag{"labels", 'l', Arity::required},
    HelmFlag{"name-template", 0, Arity::required},
    HelmFlag{"namespace", 'n', Arity::required},
    HelmFlag{"output", 'o', Arity::required},
    HelmFlag{"output-dir", 0, Arity::required},
    HelmFlag{"password", 0, Arity::required},
    HelmFlag{"post-renderer", 0, Arity::required},
    HelmFlag{"post-renderer-args", 0, Arity::required},
    HelmFlag{"qps", 0, Arity::required},
    HelmFlag{"registry-config", 0, Arity::required},
    HelmFlag{"repo", 0, Arity::required},
    HelmFlag{"repository-cache", 0, Arity::required},
    HelmFlag{"repository-config", 0, Arity::required},
    HelmFlag{"set", 0, Arity::required},
    HelmFlag{"set-file", 0, Arity::required},
    HelmFlag{"set-json", 0, Arity::required},
    HelmFlag{"set-literal", 0, Arity::required},
    HelmFlag{"set-string", 0, Arity::required},
    HelmFlag{"show-only", 's', Arity::required},
    HelmFlag{"timeout", 0, Arity::required},
    HelmFlag{"username", 0, Arity::required},
    HelmFlag{"values", 'f', Arity::required},
    HelmFlag{"version", 0, Arity::required},
    // A value only after '='.
    HelmFlag{"dry-run", 0, Arity::optional},
    HelmFlag{"wait", 0, Arity::optional},  // v4: a strategy; v3: a bool (neither takes the next argument)
    // Bools.
    HelmFlag{"atomic", 0, Arity::none},
    HelmFlag{"cleanup-on-fail", 0, Arity::none},
    HelmFlag{"create-namespace", 0, Arity::none},
    HelmFlag{"debug", 0, Arity::none},
    HelmFlag{"dependency-update", 0, Arity::none},
    HelmFlag{"devel", 0, Arity::none},
    HelmFlag{"disable-openapi-validation", 0, Arity::none},
    HelmFlag{"enable-dns", 0, Arity::none},
    HelmFlag{"force", 0, Arity::none},
    HelmFlag{"force-conflicts", 0, Arity::none},
    HelmFlag{"force-replace", 0, Arity::none},
    HelmFlag{"generate-name", 'g', Arity::none},
    HelmFlag{"help", 'h', Arity::none},
    HelmFlag{"hide-notes", 0, Arity::none},
    HelmFlag{"hide-secret", 0, Arity::none},
    HelmFlag{"include-crds", 0, Arity::none},
    HelmFlag{"insecure-skip-tls-verify", 0, Arity::none},
    HelmFlag{"install", 'i', Arity::none},
    HelmFlag{"is-upgrade", 0, Arity::none},
    HelmFlag{"kube-insecure-skip-tls-verify", 0, Arity::none},
    HelmFlag{"no-hooks", 0, Arity::none},
    HelmFlag{"pass-credentials", 0, Arity::none},
    HelmFlag{"plain-http", 0, Arity::none},
    HelmFlag{"recreate-pods", 0, Arity::none},  // v3 rollback
    HelmFlag{"release-name", 0, Arity::none},
    HelmFlag{"render-subchart-notes", 0, Arity::none},
    HelmFlag{"replace", 0, Arity::none},
    HelmFlag{"reset-then-reuse-values", 0, Arity::none},
    HelmFlag{"reset-values", 0, Arity::none},
    HelmFlag{"reuse-values", 0, Arity::none},
    HelmFlag{"rollback-on-failure", 0, Arity::none},
    HelmFlag{"server-side", 0, Arity::none},
    HelmFlag{"skip-crds", 0, Arity::none},
    HelmFlag{"skip-schema-validation", 0, Arity::none},
    HelmFlag{"skip-tests", 0, Arity::none},
    HelmFlag{"take-ownership", 0, Arity::none},
    HelmFlag{"validate", 0, Arity::none},
    HelmFlag{"verify", 0, Arity::none},
    HelmFlag{"wait-for-jobs", 0, Arity::none},
};

const HelmFlag* find_long(std::string_view name) {
  for (const auto& f : kHelmFlags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const HelmFlag* find_short(char c) {
  for (const auto& f : kHelmFlags) {
    if (f.shorthand == c) return &f;
  }
  return nullptr;
}

Arity arity_for(const HelmFlag& flag, std::string_view command) {
  if (flag.name == "server-side" && (command == "upgrade" || command == "rollback")) return Arity::required;
  return flag.arity;
}

bool is_command(std::string_view s) { return s == "install" || s == "upgrade" || s == "template" || s == "rollback"; }

// What the gate records about one helm flag it has seen.
void note_flag(HelmArgs& out, std::string_view name, const std::optional<std::string>& value,
               std::vector<std::size_t> tokens) {
  // A bool given an unreadable value counts as set: helm refuses it anyway,
  // and for --dependency-update "set" is the side that refuses.
  const bool on = !value || parse_go_bool(*value).value_or(true);
  if (name == "version") {
    out.version = value.value_or("");
    out.version_tokens.insert(out.version_tokens.end(), tokens.begin(), tokens.end());
  } else if (name == "plain-http") {
    out.plain_http = on;
  } else if (name == "username") {
    out.username = value;
  } else if (name == "password") {
    out.password = value;
  } else if (name == "repo") {
    out.repo = value;
  } else if (name == "dependency-update") {
    out.dependency_update = on;
  } else if (name == "verify") {
    out.verify = on;
  } else if (name == "help") {
    out.help = out.help || on;
  }
}

// A `--name` or `--name=value` token naming one of the gate's own flags.
template <typename Lookup>
bool is_gate_flag_token(std::string_view a, const Lookup& gate_flag) {
  if (a.size() < 3 || a.substr(0, 2) != "--") return false;
  const std::string_view body = a.substr(2);
  return gate_flag(body.substr(0, body.find('='))) != nullptr;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<bool> parse_go_bool(std::string_view t) {
  if (t == "1" || t == "t" || t == "T" || t == "true" || t == "TRUE" || t == "True") return true;
  if (t == "0" || t == "f" || t == "F" || t == "false" || t == "FALSE" || t == "False") return false;
  return std::nullopt;
}

Result<HelmArgs> split_helm_args(const std::vector<std::string>& args, const std::vector<GateFlag>& gate_flags) {
  HelmArgs out;
  std::vector<std::size_t> positional;  // indices into out.helm_args, the command first
  const auto gate_flag = [&](std::string_view name) -> const GateFlag* {
    for (const auto& g : gate_flags) {
      if (g.name == name) return &g;
    }
    return nullptr;
  };
  bool flags_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (flags_ended || a.size() < 2 || a[0] != '-') {
      if (positional.empty() && !is_command(a)) {
        return usage_error("chartprov helm gates install, upgrade, template and rollback only; got \"" + a + "\"");
      }
      if (positional.empty()) {
        out.command = a;
        out.command_index = out.helm_args.size();
      }
      positional.push_back(out.helm_args.size());
      out.helm_args.push_back(a);
      continue;
    }
    if (a == "--") {
      if (positional.empty()) return usage_error("\"--\" before the helm command (install, upgrade or template)");
      flags_ended = true;
      out.helm_args.push_back(a);
      continue;
    }
    const bool help = a == "--help" || a == "-h";
    if (positional.empty() && !help && !is_gate_flag_token(a, gate_flag)) {
      // Cobra finds the subcommand before pflag parses anything, skipping the
      // next argument after any flag it does not know as a bool at the root:
      // `helm --atomic template install C` runs install. Refused, not guessed.
      return usage_error("helm flag " + a +
                         " before the helm command: put helm's flags after install, upgrade or template (helm "
                         "would not read the command where chartprov does)");
    }
    if (a[1] == '-') {
      const std::string_view body = std::string_view(a).substr(2);
      const auto eq = body.find('=');
      const std::string_view name = body.substr(0, eq);
      std::optional<std::string> value;
      if (eq != std::string_view::npos) value = std::string(body.substr(eq + 1));
      if (name.empty() || name[0] == '-' || name[0] == '=') return usage_error("bad flag syntax: " + a);
      if (const GateFlag* g = gate_flag(name)) {
        if (g->takes_value && !value) {
          if (i + 1 >= args.size()) return usage_error("--" + g->name + " needs a value");
          value = args[++i];
        }
        if (!g->takes_value && value && !parse_go_bool(*value)) {
          return usage_error("--" + g->name + " takes no value (or true/false)");
        }
        out.gate_args.push_back("--" + g->name + (value ? "=" + *value : ""));
        continue;
      }
      const HelmFlag* f = find_long(name);
      if (f == nullptr) {
        if (value) {  // helm will judge it; it cannot swallow a positional
          out.helm_args.push_back(a);
          continue;
        }
        return usage_error("unknown helm flag " + a +
                           ": chartprov cannot tell whether it takes a value (and so which argument is the "
                           "chart); write it as " +
                           a + "=VALUE if it does");
      }
      std::vector<std::size_t> tokens{out.helm_args.size()};
      out.helm_args.push_back(a);
      if (!value && arity_for(*f, out.command) == Arity::required) {
        if (i + 1 >= args.size()) return usage_error("helm flag " + a + " needs a value");
        tokens.push_back(out.helm_args.size());
        value = args[++i];
        out.helm_args.push_back(*value);
      }
      note_flag(out, f->name, value, std::move(tokens));
      continue;
    }
    // Shorthands, run together as pflag allows: -gn NS, -fvalues.yaml, -n=NS.
    std::vector<std::size_t> tokens{out.helm_args.size()};
    out.helm_args.push_back(a);
    for (std::size_t k = 1; k < a.size(); ++k) {
      const HelmFlag* f = find_short(a[k]);
      if (f == nullptr) return usage_error(std::string("unknown helm shorthand flag -") + a[k] + " in " + a);
      std::optional<std::string> value;
      const std::string rest = a.substr(k + 1);
      if (!rest.empty() && rest[0] == '=') {
        value = rest.substr(1);
      } else if (arity_for(*f, out.command) == Arity::required) {
        if (!rest.empty()) {
          value = rest;
        } else {
          if (i + 1 >= args.size()) return usage_error("helm flag -" + std::string(1, a[k]) + " needs a value");
          tokens.push_back(out.helm_args.size());
          value = args[++i];
          out.helm_args.push_back(*value);
        }
      }
      note_flag(out, f->name, value, tokens);
      if (value) break;  // the value ran to the end of the argument
    }
  }
  if (out.help) return out;  // helm will print help; there is no chart to find
  if (positional.empty()) return usage_error("give a helm command: install, upgrade, template or rollback");
  out.positionals = positional.size() - 1;
  if (out.command == "rollback") {
    if (out.positionals < 1 || out.positionals > 2) {
      return usage_error("helm rollback takes RELEASE [REVISION]; found " + std::to_string(out.positionals) +
                         " argument(s)");
    }
    out.release = out.helm_args[positional[1]];
    if (out.release.empty()) return usage_error("helm rollback needs a release name; got an empty argument");
    if (out.positionals == 2) out.revision = out.helm_args[positional[2]];
    out.chart = "helm rollback " + out.release + (out.revision.empty() ? "" : " " + out.revision);
    return out;
  }
  const bool upgrade = out.command == "upgrade";
  if (upgrade ? out.positionals != 2 : (out.positionals < 1 || out.positionals > 2)) {
    return usage_error("helm " + out.command + " takes " + (upgrade ? "RELEASE CHART" : "[NAME] CHART") + "; found " +
                       std::to_string(out.positionals) + " argument(s)");
  }
  out.chart_index = positional.back();
  out.chart = out.helm_args[out.chart_index];
  return out;
}

ChartSource classify_chart(std::string_view chart) {
  const std::string c(chart);
  if (c.rfind("oci://", 0) == 0) return {ChartKind::oci, ""};
  std::error_code ec;
  const auto status = std::filesystem::status(c, ec);
  if (!ec && std::filesystem::is_directory(status)) {
    return {ChartKind::directory,
            "\"" + c +
                "\" is a chart directory: only a packaged chart (.tgz) or an oci:// reference can be "
                "verified (package and sign it: chartprov package --sign)"};
  }
  if (!ec && std::filesystem::exists(status)) return {ChartKind::archive, ""};
  if (c.find("://") != std::string::npos) {
    return {ChartKind::url, "\"" + c +
                                "\" is a URL helm would download: only oci:// references can be verified "
                                "(or download the chart and its envelopes and give the .tgz)"};
  }
  // Helm reads a missing path that starts with / or . as a path (and fails);
  // a name ending like an archive is meant as a file: decide() says it is missing.
  if (c.empty() || c[0] == '/' || c[0] == '.' || ends_with(c, ".tgz") || ends_with(c, ".tar.gz")) {
    return {ChartKind::archive, ""};
  }
  return {ChartKind::repository,
          "\"" + c +
              "\" is a chart name helm would look up in a repository: only a packaged chart (.tgz) or an "
              "oci:// reference can be verified (helm pull it with its envelopes, or use oci://)"};
}

std::vector<std::string> ungatable_reasons(const HelmArgs& args, const ChartSource& source) {
  std::vector<std::string> out;
  if (args.command == "rollback") {
    // Helm copies the chart, values and manifest of a stored release record:
    // no signed artifact, and the record need not be what chartprov verified.
    out.push_back("helm rollback redeploys the chart stored in release " + args.release + "'s " +
                  (args.revision.empty() ? std::string("previous revision") : "revision " + args.revision) +
                  ", which chartprov cannot verify: deploy the signed chart again with chartprov helm upgrade " +
                  args.release + " CHART.tgz");
    return out;
  }
  if (!source.reason.empty()) out.push_back(source.reason);
  if (args.repo) {
    out.push_back("--repo makes helm look the chart up in " + *args.repo +
                  " instead of using the file that was verified");
  }
  if (args.dependency_update) {
    out.push_back("--dependency-update makes helm download subcharts that were not verified");
  }
  return out;
}

std::vector<std::string> helm_argv_with_chart(const HelmArgs& args, const std::string& chart, bool drop_version) {
  std::vector<std::string> out;
  out.reserve(args.helm_args.size());
  for (std::size_t i = 0; i < args.helm_args.size(); ++i) {
    if (drop_version &&
        std::find(args.version_tokens.begin(), args.version_tokens.end(), i) != args.version_tokens.end()) {
      continue;
    }
    out.push_back(i == args.chart_index ? chart : args.helm_args[i]);
  }
  return out;
}

}  // namespace chartprov::app
