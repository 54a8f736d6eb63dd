// verify builds only the options its command line names (cli/argv_names.hpp). The claim is
// that the parse cannot tell: every command line below must give the same values, or the same
// error, with the options sieved as with all of them built.
#include "cli/argv_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chartprov::cli {
namespace {

struct Parsed {
  std::string chart, keyring;
  bool json = false;
  std::vector<std::string> signers;
  std::string outcome;  // "ok" or CLI11's message
};

Parsed parse(const std::vector<std::string>& args, bool sieve) {
  std::vector<const char*> argv{"chartprov"};
  for (const auto& a : args) argv.push_back(a.c_str());
  const ArgvNames names = sieve ? ArgvNames(static_cast<int>(argv.size()), argv.data()) : ArgvNames::all();
  Parsed p;
  CLI::App app("test", "chartprov");
  OptionSieve s(&app, names);
  app.add_option("chart", p.chart, "chart")->required();
  s.option("--keyring", p.keyring, "keyring");
  s.flag("--json", p.json, "json");
  if (auto* o = s.option("--signer", p.signers, "signer"))
    o->check(CLI::Validator(
        [](std::string& v) { return v.size() == 40 ? std::string() : std::string("not 40 digits"); }, "FPR"));
  s.option("--key", p.keyring, "key");  // named like a prefix of --keyring
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    p.outcome = "ok";
  } catch (const CLI::ParseError& e) {
    p.outcome = e.get_name() + ": " + e.what();
  }
  return p;
}

TEST(ArgvNames, NamesAreTheLongOptionsBeforeAnyEquals) {
  const char* argv[] = {"chartprov", "verify", "c.tgz", "--keyring=k.gpg", "--json", "--", "-x"};
  const ArgvNames n(7, argv);
  EXPECT_TRUE(n.has("--keyring"));
  EXPECT_TRUE(n.has("--json"));
  EXPECT_FALSE(n.has("--key"));
  EXPECT_FALSE(n.has("--signer"));
  EXPECT_TRUE(n.has("-o,--output"));  // not one long name: always built
  EXPECT_TRUE(n.has("-x"));
}

TEST(ArgvNames, HelpWantsEveryOption) {
  for (const char* help : {"-h", "--help", "--help-all"}) {
    const char* argv[] = {"chartprov", "verify", help};
    EXPECT_TRUE(ArgvNames(3, argv).has("--signer")) << help;
  }
  EXPECT_TRUE(ArgvNames::all().has("--anything"));
}

TEST(ArgvNames, SievedOptionsParseAsAllOfThem) {
  const std::string fpr(40, 'A');
  const std::vector<std::vector<std::string>> lines = {
      {"c.tgz", "--keyring", "k.gpg"},
      {"c.tgz", "--keyring=k.gpg", "--json"},
      {"--json", "c.tgz", "--signer", fpr, "--signer", fpr},
      {"c.tgz", "--signer", "short"},  // a validator's refusal
      {"c.tgz", "--keyring"},          // a missing value
      {"c.tgz", "--bogus"},            // an unknown option
      {"c.tgz", "--ke", "k.gpg"},      // no abbreviations
      {"--keyring", "k.gpg"},          // the positional missing
      {"c.tgz", "--", "--json"},       // after --, a positional
      {"c.tgz", "--json=true"},
      {"c.tgz", "--json", "--json"},
      {"c.tgz", "--keyring", "--json"},  // a value that looks like an option
      {"c.tgz", "--key", "k.pem"},
  };
  for (const auto& line : lines) {
    const Parsed all = parse(line, false), sieved = parse(line, true);
    std::string shown;
    for (const auto& a : line) shown += a + " ";
    EXPECT_EQ(sieved.outcome, all.outcome) << shown;
    EXPECT_EQ(sieved.chart, all.chart) << shown;
    EXPECT_EQ(sieved.keyring, all.keyring) << shown;
    EXPECT_EQ(sieved.json, all.json) << shown;
    EXPECT_EQ(sieved.signers, all.signers) << shown;
  }
  // And the comparison can fail: a sieve that dropped a named option would differ.
  EXPECT_EQ(parse({"c.tgz", "--keyring", "k.gpg"}, true).keyring, "k.gpg");
  EXPECT_NE(parse({"c.tgz", "--bogus"}, true).outcome, "ok");
}

}  // namespace
}  // namespace chartprov::cli
