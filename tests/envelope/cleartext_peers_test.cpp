// write_cleartext against real verifiers: each helm v4 vector's text and
// signature packets, re-written by chartprov, must verify with gpgv, rnp and
// sq. Helm's own layout (no CRC line, no final newline) fails in gpgv and rnp
// whenever the packet length is a multiple of 3 (FORMAT.md §1.3); the
// re-written file carries the same signed bytes and must pass everywhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "envelope/prov/cleartext.hpp"
#include "infra/process/process.hpp"
#include "support/test_support.hpp"

using namespace chartprov;
using namespace chartprov::envelope::prov;

namespace {

struct V4Case {
  std::string name, prov, keyring;
};

std::vector<V4Case> helm_v4_cases() {
  std::vector<V4Case> out;
  const std::string tsv = test::read_text(test::data("helm/cases.tsv"));
  std::size_t pos = tsv.find('\n') + 1;
  while (pos < tsv.size()) {
    const std::size_t eol = tsv.find('\n', pos);
    const std::string line = tsv.substr(pos, eol - pos);
    pos = eol == std::string::npos ? tsv.size() : eol + 1;
    std::vector<std::string> f;
    for (std::size_t p = 0;;) {
      const std::size_t t = line.find('\t', p);
      f.push_back(line.substr(p, t == std::string::npos ? std::string::npos : t - p));
      if (t == std::string::npos) break;
      p = t + 1;
    }
    if (f.size() >= 5 && f[0].rfind("ok-helm-", 0) == 0 && f[4] == "ok") out.push_back({f[0], f[2], f[3]});
  }
  return out;
}

int exit_code(const std::vector<std::string>& argv, std::string& output) {
  const auto r = process::run_process(argv, {});
  if (!r.ok()) {
    output = r.error().message;
    return -1;
  }
  output = r->out + r->err;
  return r->exit_code;
}

}  // namespace

TEST(CleartextPeers, RewrittenHelmV4FilesVerifyInGpgvRnpAndSq) {
  const auto cases = helm_v4_cases();
  ASSERT_GE(cases.size(), 12u);
  test::TempDir dir;
  std::size_t helm_layout_failed_somewhere = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string original = test::read_text(test::data("helm/" + c.prov));
    const auto ct = parse_cleartext(original);
    ASSERT_TRUE(ct.ok()) << ct.error().message;
    // helm v4 signs the text plus one empty line: exactly what write_cleartext writes.
    const auto want = signed_text_for(ct->plaintext);
    ASSERT_TRUE(want.ok()) << want.error().message;
    ASSERT_EQ(*want, ct->signed_text);

    const std::string rewritten = write_cleartext(ct->plaintext, "SHA512", ct->signature_packets);
    const auto back = parse_cleartext(rewritten);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->signed_text, ct->signed_text);
    EXPECT_EQ(back->plaintext, ct->plaintext);

    const auto file = dir / (c.name + ".prov");
    const auto helm_file = dir / (c.name + ".helm.prov");
    test::write_text(file, rewritten);
    test::write_text(helm_file, original);
    const std::string keyring = test::data("helm/" + c.keyring).string();
    const std::string home = (dir / (c.name + ".rnp")).string();
    const auto gpgv = [&](const std::string& f) {
      return std::vector<std::string>{"/usr/bin/gpgv", "--keyring", keyring, f};
    };
    const auto rnp = [&](const std::string& f) {
      return std::vector<std::string>{"/usr/bin/rnp", "--homedir", home, "--keyfile", keyring, "--verify", f};
    };
    const auto sq = [&](const std::string& f) {
      return std::vector<std::string>{"/usr/bin/sq", "verify", "--signer-cert", keyring, f};
    };
    std::vector<std::vector<std::string>> verifiers = {gpgv(file.string()), rnp(file.string())};
    // sq 0.27 (Nettle) cannot use brainpool or secp256k1 keys at all (FORMAT.md §4).
    if (c.name.find("brainpool") == std::string::npos && c.name.find("secp256k1") == std::string::npos) {
      verifiers.push_back(sq(file.string()));
    }
    for (const auto& argv : verifiers) {
      std::string out;
      EXPECT_EQ(exit_code(argv, out), 0) << argv[0] << ":\n" << out;
    }
    std::string ignored;
    if (exit_code(gpgv(helm_file.string()), ignored) != 0 || exit_code(rnp(helm_file.string()), ignored) != 0) {
      ++helm_layout_failed_somewhere;
    }
  }
  // The point of the CRC line and final newline: some of helm's own files fail there.
  EXPECT_GT(helm_layout_failed_somewhere, 0u);
}
