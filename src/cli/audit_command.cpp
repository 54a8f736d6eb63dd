// `chartprov audit verify FILE [--expect-head HASH]`: checks every link of a
// hash-chained audit log (audit/audit_log.hpp) and prints its head, to be
// recorded elsewhere (then a rewritten or cut tail is caught too).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "audit/audit_log.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace chartprov::cli {

Runner add_audit_command(CLI::App& app) {
  struct Options {
    std::string file, expect_head;
  };
  auto o = std::make_shared<Options>();
  auto* audit = app.add_subcommand("audit", "The audit trail of signs and decisions");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check that no line of an audit log was edited, removed or moved");
  verify->add_option("file", o->file, "the audit log (JSON lines)")->required();
  verify->add_option("--expect-head", o->expect_head, "the head recorded earlier (detects a cut or rewritten end)");
  return [o, verify] {
    if (!verify->parsed()) return kExitError;
    const auto c = audit::verify_chain(o->file, o->expect_head.empty() ? std::nullopt : std::optional<std::string>(o->expect_head));
    if (!c) return report_error(c.error());
    if (!c->intact) {
      std::fprintf(stderr, "chartprov: audit log %s is NOT intact: %s\n", o->file.c_str(), c->reason.c_str());
      return kExitFailed;
    }
    std::printf("Intact: %s, %llu records\nHead: %s\n", o->file.c_str(), static_cast<unsigned long long>(c->lines),
                c->head.c_str());
    return kExitOk;
  };
}

}  // namespace chartprov::cli
