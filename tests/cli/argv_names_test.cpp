// verify builds only the options its command line names (cli/argv_names.hpp). The claim is
// that the parse cannot tell: every command line below must give the same values, or the same
// error, with the options sieved as with all of them built.
#include "cli/argv_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/verify_parse_probe.hpp"

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
  // A single-dash token is CLI11's to read (fuzz/argv_names_fuzz.cpp found "-h-keyring=k"
  // taken for --keyring): it builds every option.
  for (const char* single : {"-h-keyring=k", "-1", "-k"}) {
    const char* with[] = {"chartprov", "verify", "c.tgz", single};
    EXPECT_TRUE(ArgvNames(4, with).has("--signer")) << single;
  }
  const char* dash[] = {"chartprov", "verify", "-"};  // a lone "-" is a positional
  EXPECT_FALSE(ArgvNames(3, dash).has("--signer"));
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

// The same claim for the real verify command, every one of its options included.
TEST(ArgvNames, TheVerifyCommandParsesTheSameSieved) {
  const std::string fpr(40, 'A');
  const std::vector<std::vector<std::string>> lines = {
      {"c.tgz", "--keyring", "k.gpg"},
      {"c.tgz", "--keyring=k.gpg", "--json", "--no-cache"},
      {"c.tgz", "--env", "production", "--trust-dir", "td", "--audit-log", "a.jsonl", "--events-stderr"},
      {"oci://r/x", "--version", "1.0.0", "--plain-http", "--keyring", "k"},
      {"c.tgz", "--key", "cosign.pub", "--signature", "s", "--bundle", "b", "--trusted-root", "r"},
      {"c.tgz", "--signer", fpr, "--signer", fpr, "--key-history", "keys.json", "--keyring", "k"},
      {"c.tgz", "--webhook", "ftp://x"},     // a validator's refusal
      {"c.tgz", "--alert-retries", "11"},    // a range's refusal
      {"c.tgz", "--alert-timeout", "x"},     // a conversion's refusal
      {"c.tgz", "--keyring"},                // a missing value
      {"c.tgz", "--bogus"},                  // an unknown option
      {"c.tgz", "--key", "k", "--ke", "x"},  // no abbreviations
      {"--keyring", "k"},                    // the chart missing
      {"c.tgz", "--", "--json"},             // after --, a positional
      {"c.tgz", "--json", "--json"},
      {"c.tgz", "--help"},
      {"c.tgz", "-h-keyring=k", "-h-keyring=k"},  // found by fuzz/argv_names_fuzz.cpp
      {"c.tgz", "--alert-retries", "-1"},
  };
  for (const auto& line : lines) {
    std::string shown;
    for (const auto& a : line) shown += a + " ";
    EXPECT_EQ(probe_verify_parse(line, true), probe_verify_parse(line, false)) << shown;
  }
  // The probe tells outcomes apart (a comparison of two equal constants would pass anything).
  EXPECT_NE(probe_verify_parse({"c.tgz", "--keyring", "a"}, true),
            probe_verify_parse({"c.tgz", "--keyring", "b"}, true));
  EXPECT_EQ(probe_verify_parse({"c.tgz", "--bogus"}, true).rfind("error ", 0), 0u);
}

}  // namespace
}  // namespace chartprov::cli
