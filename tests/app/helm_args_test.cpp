// The deploy gate's split of a helm command line: which argument is the
// CHART for the shapes helm accepts, which flags are the gate's, and what
// cannot be gated.
#include "app/gate/helm_args.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/test_support.hpp"

using namespace chartprov;
using app::ChartKind;

namespace {

const std::vector<app::GateFlag> kGate{{"env", true},       {"policy", true}, {"keyring", true},      {"key", true},
                                       {"trust-dir", true}, {"json", false},  {"alert-webhook", true}};

app::HelmArgs split(const std::vector<std::string>& args) {
  auto r = app::split_helm_args(args, kGate);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : app::HelmArgs{};
}

std::string split_error(const std::vector<std::string>& args) {
  auto r = app::split_helm_args(args, kGate);
  EXPECT_FALSE(r.ok()) << "accepted; chart " << (r.ok() ? r->chart : "");
  return r.ok() ? "" : r.error().message;
}

struct ChartCase {
  std::vector<std::string> args;
  std::string chart;
};

}  // namespace

TEST(HelmArgs, FindsTheChartInEveryShapeHelmAccepts) {
  const std::vector<ChartCase> cases = {
      {{"install", "web", "c.tgz"}, "c.tgz"},
      {{"install", "c.tgz", "--generate-name"}, "c.tgz"},
      {{"install", "-g", "c.tgz"}, "c.tgz"},
      {{"install", "--name-template", "x-{{randAlpha 3}}", "c.tgz"}, "c.tgz"},
      {{"template", "c.tgz"}, "c.tgz"},
      {{"template", "rel", "c.tgz"}, "c.tgz"},
      {{"upgrade", "web", "c.tgz", "--install"}, "c.tgz"},
      {{"upgrade", "-i", "web", "c.tgz"}, "c.tgz"},
      // Values in every form pflag takes: the next argument, =, attached, run together.
      {{"install", "-f", "values.yaml", "web", "c.tgz"}, "c.tgz"},
      {{"install", "--values", "v.yaml", "web", "c.tgz"}, "c.tgz"},
      {{"install", "--values=v.yaml", "web", "c.tgz"}, "c.tgz"},
      {{"install", "-fv.yaml", "web", "c.tgz"}, "c.tgz"},
      {{"install", "-f=v.yaml", "web", "c.tgz"}, "c.tgz"},
      {{"install", "-gn", "prod", "c.tgz"}, "c.tgz"},
      {{"install", "-gnprod", "c.tgz"}, "c.tgz"},
      {{"install", "web", "-n", "prod", "c.tgz"}, "c.tgz"},
      {{"install", "web", "--set", "a=b", "--set-string", "c=d", "--set-file", "e=f", "--set-json", "g=1",
        "--set-literal", "h=i", "c.tgz"},
       "c.tgz"},
      {{"install", "web", "--version", "1.0.0", "c.tgz"}, "c.tgz"},
      {{"install", "web", "--kube-context", "ctx", "--timeout", "5m", "-o", "json", "c.tgz"}, "c.tgz"},
      {{"install", "web", "--post-renderer", "pr", "--post-renderer-args", "--x", "c.tgz"}, "c.tgz"},
      {{"install", "web", "-l", "a=b", "--description", "d", "c.tgz"}, "c.tgz"},
      {{"install", "web", "--labels=a=b", "c.tgz"}, "c.tgz"},
      // A value that looks like a flag is still the value (pflag takes the next argument).
      {{"install", "web", "--set", "--generate-name", "c.tgz"}, "c.tgz"},
      {{"install", "web", "-n", "-g", "c.tgz"}, "c.tgz"},
      // Optional values: only `=` gives one; the next argument stays a positional.
      {{"install", "--dry-run", "web", "c.tgz"}, "c.tgz"},
      {{"install", "--dry-run=client", "web", "c.tgz"}, "c.tgz"},
      {{"upgrade", "--wait", "web", "c.tgz"}, "c.tgz"},
      {{"upgrade", "--wait=watcher", "web", "c.tgz"}, "c.tgz"},
      // Bools with a value after =.
      {{"install", "--verify=false", "--atomic", "--create-namespace=true", "web", "c.tgz"}, "c.tgz"},
      // v4's upgrade --server-side takes a string; install's is a bool.
      {{"upgrade", "--server-side", "true", "web", "c.tgz"}, "c.tgz"},
      {{"install", "--server-side", "web", "c.tgz"}, "c.tgz"},
      // Template's own flags.
      {{"template", "-a", "v1", "-s", "templates/x.yaml", "--kube-version", "1.30", "--output-dir", "o", "c.tgz"},
       "c.tgz"},
      {{"template", "--include-crds", "--is-upgrade", "--validate", "--skip-tests", "r", "c.tgz"}, "c.tgz"},
      // Global flags after the command.
      {{"install", "-n", "prod", "web", "c.tgz"}, "c.tgz"},
      {{"upgrade", "--kubeconfig", "k", "--debug", "web", "c.tgz"}, "c.tgz"},
      // `--` ends flags: a chart named like a flag.
      {{"install", "web", "--", "-odd.tgz"}, "-odd.tgz"},
      {{"upgrade", "web", "c.tgz", "--history-max", "3", "--reuse-values", "--reset-then-reuse-values"}, "c.tgz"},
      {{"install", "web", "oci://r.example/charts/web", "--version", "1.2.3"}, "oci://r.example/charts/web"},
      // An unknown flag with its value after `=` cannot swallow an argument.
      {{"install", "--future-flag=x", "web", "c.tgz"}, "c.tgz"},
  };
  for (const auto& c : cases) {
    const auto a = split(c.args);
    std::string joined;
    for (const auto& s : c.args) joined += s + " ";
    EXPECT_EQ(a.chart, c.chart) << joined;
    EXPECT_EQ(a.helm_args, c.args) << "helm's arguments pass unchanged: " << joined;
    EXPECT_EQ(a.helm_args[a.chart_index], c.chart) << joined;
    EXPECT_EQ(a.helm_args[a.command_index], a.command) << joined;
    EXPECT_TRUE(a.gate_args.empty()) << joined;
  }
}

TEST(HelmArgs, TakesTheGateFlagsOutWhereverTheyAre) {
  const auto a = split({"--env", "production", "upgrade", "web", "--trust-dir=td", "c.tgz", "--json", "-n", "prod",
                        "--alert-webhook", "http://a", "--alert-webhook=http://b", "--keyring", "k.gpg"});
  EXPECT_EQ(a.command, "upgrade");
  EXPECT_EQ(a.command_index, 0u);
  EXPECT_EQ(a.chart, "c.tgz");
  EXPECT_EQ(a.helm_args, (std::vector<std::string>{"upgrade", "web", "c.tgz", "-n", "prod"}));
  EXPECT_EQ(a.gate_args,
            (std::vector<std::string>{"--env=production", "--trust-dir=td", "--json", "--alert-webhook=http://a",
                                      "--alert-webhook=http://b", "--keyring=k.gpg"}));
}

TEST(HelmArgs, AGateFlagValueIsTheNextArgumentWhateverItLooksLike) {
  const auto a = split({"install", "--env", "--weird", "web", "c.tgz"});
  EXPECT_EQ(a.gate_args, (std::vector<std::string>{"--env=--weird"}));
  EXPECT_EQ(a.chart, "c.tgz");
}

TEST(HelmArgs, AfterDoubleDashNothingIsTheGates) {
  const auto a = split({"template", "--", "--env"});
  EXPECT_EQ(a.chart, "--env");
  EXPECT_TRUE(a.gate_args.empty());
}

TEST(HelmArgs, ReadsTheHelmFlagsTheGateNeeds) {
  const auto a = split({"install", "web", "oci://r/c/web", "--version", "1.2.3", "--plain-http", "--username", "u",
                        "--password=p", "--verify"});
  EXPECT_EQ(a.version, "1.2.3");
  EXPECT_TRUE(a.plain_http);
  EXPECT_EQ(a.username, "u");
  EXPECT_EQ(a.password, "p");
  EXPECT_TRUE(a.verify);
  EXPECT_FALSE(a.repo);
  EXPECT_FALSE(a.dependency_update);
  const auto b =
      split({"install", "web", "c.tgz", "--plain-http=false", "--dependency-update=true", "--repo=https://x"});
  EXPECT_FALSE(b.plain_http);
  EXPECT_TRUE(b.dependency_update);
  EXPECT_EQ(b.repo, "https://x");
  // An unreadable bool counts as set for the flag that is refused.
  EXPECT_TRUE(split({"install", "web", "c.tgz", "--dependency-update=maybe"}).dependency_update);
  EXPECT_FALSE(split({"install", "web", "c.tgz", "--dependency-update=0"}).dependency_update);
}

TEST(HelmArgs, TheCopyReplacesTheChartAndAnOciVersionIsDropped) {
  const auto a = split({"upgrade", "--version", "1.2.3", "web", "oci://r/c/web", "--version=1.2.4", "-n", "p"});
  EXPECT_EQ(a.version, "1.2.4");  // the last one wins, as in helm
  EXPECT_EQ(app::helm_argv_with_chart(a, "/tmp/x/web-1.2.4.tgz", true),
            (std::vector<std::string>{"upgrade", "web", "/tmp/x/web-1.2.4.tgz", "-n", "p"}));
  EXPECT_EQ(
      app::helm_argv_with_chart(a, "/copy.tgz", false),
      (std::vector<std::string>{"upgrade", "--version", "1.2.3", "web", "/copy.tgz", "--version=1.2.4", "-n", "p"}));
  // The release name may be spelled like the chart: only the CHART position changes.
  const auto b = split({"install", "c.tgz", "c.tgz"});
  EXPECT_EQ(app::helm_argv_with_chart(b, "/p/c.tgz", false),
            (std::vector<std::string>{"install", "c.tgz", "/p/c.tgz"}));
}

TEST(HelmArgs, HelpNeedsNoChart) {
  EXPECT_TRUE(split({"install", "--help"}).help);
  EXPECT_TRUE(split({"upgrade", "-h"}).help);
  EXPECT_TRUE(split({"install", "-gh"}).help);
}

TEST(HelmArgs, RefusesWhatItCannotSplitSafely) {
  EXPECT_NE(split_error({}).find("give a helm command"), std::string::npos);
  EXPECT_NE(split_error({"uninstall", "web"}).find("install, upgrade, template and rollback only"), std::string::npos);
  EXPECT_NE(split_error({"pull", "c.tgz"}).find("install, upgrade, template and rollback only"), std::string::npos);
  EXPECT_NE(split_error({"--env", "production"}).find("give a helm command"), std::string::npos);
  EXPECT_NE(split_error({"install", "web", "c.tgz", "--env"}).find("--env needs a value"), std::string::npos);
  EXPECT_NE(split_error({"install", "web", "c.tgz", "-n"}).find("needs a value"), std::string::npos);
  EXPECT_NE(split_error({"install", "web", "c.tgz", "--set"}).find("needs a value"), std::string::npos);
  EXPECT_NE(split_error({"install", "--future-flag", "web", "c.tgz"}).find("cannot tell whether it takes a value"),
            std::string::npos);
  EXPECT_NE(split_error({"install", "-x", "web", "c.tgz"}).find("unknown helm shorthand flag -x"), std::string::npos);
  EXPECT_NE(split_error({"install", "---x", "web", "c.tgz"}).find("bad flag syntax"), std::string::npos);
  EXPECT_NE(split_error({"install", "--json=maybe", "web", "c.tgz"}).find("takes no value"), std::string::npos);
  EXPECT_NE(split_error({"--", "install", "c.tgz"}).find("before the helm command"), std::string::npos);
  // Counting positionals as helm does.
  EXPECT_NE(split_error({"install"}).find("[NAME] CHART; found 0"), std::string::npos);
  EXPECT_NE(split_error({"install", "a", "b", "c.tgz"}).find("found 3"), std::string::npos);
  EXPECT_NE(split_error({"upgrade", "c.tgz"}).find("RELEASE CHART; found 1"), std::string::npos);
  EXPECT_NE(split_error({"upgrade", "web", "c.tgz", "extra"}).find("found 3"), std::string::npos);
  // A bool flag given a separate value leaves it as a positional, as helm does.
  EXPECT_NE(split_error({"install", "--atomic", "true", "web", "c.tgz"}).find("found 3"), std::string::npos);
  // --dry-run takes its value only after '='.
  EXPECT_NE(split_error({"install", "--dry-run", "client", "web", "c.tgz"}).find("found 3"), std::string::npos);
}

// Issue 14 finding 8: cobra looks for the command before pflag reads flags,
// and takes the argument after a flag the root does not know as its value:
// `helm --atomic template install C` runs install while a pflag reading
// judges template. Any helm flag before the command is refused.
TEST(HelmArgs, RefusesHelmFlagsBeforeTheCommand) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--atomic", "template", "install", "c.tgz"},
           {"--atomic=true", "template", "rel", "c.tgz"},
           {"-n", "prod", "install", "web", "c.tgz"},
           {"-n", "install", "install", "web", "c.tgz"},
           {"-gn", "x", "install", "c.tgz"},
           {"--kubeconfig", "k", "--debug", "upgrade", "web", "c.tgz"},
           {"--future-flag=x", "install", "web", "c.tgz"},
           {"--env", "production", "--debug", "template", "c.tgz"},
       }) {
    std::string joined;
    for (const auto& s : args) joined += s + " ";
    EXPECT_NE(split_error(args).find("before the helm command: put helm's flags after install, upgrade or template"),
              std::string::npos)
        << joined;
  }
  // The gate's own flags may come first (they never reach helm), and help deploys nothing.
  EXPECT_EQ(split({"--env", "production", "--keyring=k.gpg", "install", "web", "c.tgz"}).command, "install");
  EXPECT_TRUE(split({"--help", "install"}).help);
}

// helm rollback redeploys a stored release: the gate finds RELEASE and
// REVISION, and always has a reason not to allow it.
TEST(HelmArgs, RollbackIsSplitAndNeverVerifiable) {
  auto a = split({"rollback", "web", "3", "--wait", "--server-side", "auto", "-n", "prod", "--recreate-pods"});
  EXPECT_EQ(a.command, "rollback");
  EXPECT_EQ(a.release, "web");
  EXPECT_EQ(a.revision, "3");
  EXPECT_EQ(a.chart, "helm rollback web 3");
  auto reasons = app::ungatable_reasons(a, app::classify_chart(a.chart));
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_NE(reasons[0].find("release web's revision 3, which chartprov cannot verify"), std::string::npos);
  a = split({"rollback", "web"});
  EXPECT_TRUE(a.revision.empty());
  EXPECT_NE(app::ungatable_reasons(a, app::classify_chart(a.chart))[0].find("previous revision"), std::string::npos);
  EXPECT_NE(split_error({"rollback"}).find("RELEASE [REVISION]; found 0"), std::string::npos);
  EXPECT_NE(split_error({"rollback", "web", "1", "2"}).find("found 3"), std::string::npos);
  // An empty RELEASE names no release record: refused, not gated as "helm rollback ".
  EXPECT_NE(split_error({"rollback", "", "em"}).find("needs a release name"), std::string::npos);
}

TEST(HelmArgs, ClassifiesChartsAsHelmWouldFindThem) {
  test::TempDir dir;
  test::write_text(dir / "web-1.0.0.tgz", "not really");
  test::write_text(dir / "oddname", "a file without .tgz");
  std::filesystem::create_directories(dir / "web");
  std::filesystem::create_directories(dir / "bitnami" / "nginx");
  EXPECT_EQ(app::classify_chart((dir / "web-1.0.0.tgz").string()).kind, ChartKind::archive);
  EXPECT_EQ(app::classify_chart((dir / "oddname").string()).kind, ChartKind::archive);
  EXPECT_EQ(app::classify_chart((dir / "missing.tgz").string()).kind, ChartKind::archive);
  EXPECT_EQ(app::classify_chart("./missing").kind, ChartKind::archive);
  EXPECT_EQ(app::classify_chart("missing-1.0.0.tar.gz").kind, ChartKind::archive);
  EXPECT_EQ(app::classify_chart("oci://r.example/charts/web").kind, ChartKind::oci);
  const auto d = app::classify_chart((dir / "web").string());
  EXPECT_EQ(d.kind, ChartKind::directory);
  EXPECT_NE(d.reason.find("chart directory"), std::string::npos);
  EXPECT_EQ(app::classify_chart((dir / "web/").string()).kind, ChartKind::directory);
  // An existing directory wins over the repo/chart reading, as in helm.
  EXPECT_EQ(app::classify_chart((dir / "bitnami/nginx").string()).kind, ChartKind::directory);
  const auto r = app::classify_chart("bitnami/nginx");
  EXPECT_EQ(r.kind, ChartKind::repository);
  EXPECT_NE(r.reason.find("repository"), std::string::npos);
  EXPECT_EQ(app::classify_chart("nginx").kind, ChartKind::repository);
  for (const char* url : {"https://charts.example/web-1.0.0.tgz", "http://x/y.tgz", "file:///tmp/c.tgz"}) {
    const auto u = app::classify_chart(url);
    EXPECT_EQ(u.kind, ChartKind::url) << url;
    EXPECT_NE(u.reason.find("only oci:// references"), std::string::npos) << url;
  }
}

TEST(HelmArgs, NamesEveryReasonWhyHelmWouldDeploySomethingElse) {
  const auto plain = split({"install", "web", "c.tgz"});
  EXPECT_TRUE(app::ungatable_reasons(plain, {ChartKind::archive, ""}).empty());
  const auto flags = split({"install", "web", "c.tgz", "--repo", "https://charts.example", "--dependency-update"});
  const auto reasons = app::ungatable_reasons(flags, {ChartKind::archive, ""});
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_NE(reasons[0].find("--repo"), std::string::npos);
  EXPECT_NE(reasons[1].find("--dependency-update"), std::string::npos);
  const auto dir = app::ungatable_reasons(plain, {ChartKind::directory, "a directory"});
  EXPECT_EQ(dir, (std::vector<std::string>{"a directory"}));
}

TEST(HelmArgs, GoBools) {
  for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) EXPECT_EQ(app::parse_go_bool(t), true) << t;
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) EXPECT_EQ(app::parse_go_bool(f), false) << f;
  for (const char* x : {"", "yes", "tRUE", "2"}) EXPECT_EQ(app::parse_go_bool(x), std::nullopt) << x;
}
