// `chartprov audit verify FILE [--expect-head HASH] [--head SEQ:HASH]`: checks
// every link of a hash-chained audit log (audit/audit_log.hpp) and prints its
// head; `chartprov audit head FILE` prints the head as SEQ:HASH, to be recorded
// elsewhere. The file alone cannot show a re-sealed last line or a cut or
// rewritten tail: a recorded head can.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "audit/audit_log.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace chartprov::cli {
namespace {

struct AuditOptions {
  std::string file, expect_head, head;
};

// The chain, checked; exit code when it is not intact or cannot be read.
std::optional<int> check_chain(const AuditOptions& o, Result<audit::ChainCheck>& c) {
  std::optional<audit::HeadAnchor> anchor;
  if (!o.head.empty()) {
    auto a = audit::parse_head_anchor(o.head);
    if (!a) return report_error(a.error().with_context("--head"));
    anchor = std::move(*a);
  }
  c = audit::verify_chain(o.file, o.expect_head.empty() ? std::nullopt : std::optional<std::string>(o.expect_head),
                          anchor);
  if (!c) return report_error(c.error());
  if (!c->intact) {
    std::fprintf(stderr, "chartprov: audit log %s is NOT intact: %s\n", o.file.c_str(), c->reason.c_str());
    return kExitFailed;
  }
  return std::nullopt;
}

}  // namespace

Runner add_audit_command(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "The audit trail of signs and decisions");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check that no line of an audit log was edited, removed or moved");
  verify->add_option("file", o->file, "the audit log (JSON lines)")->required();
  verify->add_option("--expect-head", o->expect_head, "the log must end at this head (detects a cut or rewritten end)");
  verify->add_option("--head", o->head,
                     "SEQ:HASH (from `audit head`) recorded elsewhere: the chain must contain it (detects a "
                     "re-sealed or rewritten line up to it)");
  auto* head = audit->add_subcommand("head", "Check the chain and print its head (SEQ:HASH) for an external record");
  head->add_option("file", o->file, "the audit log (JSON lines)")->required();
  return [o, verify, head] {
    Result<audit::ChainCheck> c = internal_error("not checked");
    if (head->parsed()) {
      if (const auto rc = check_chain(*o, c)) return *rc;
      std::printf("%s\n", audit::format_head_anchor(c->lines, c->head).c_str());
      return kExitOk;
    }
    if (!verify->parsed()) return kExitError;
    if (const auto rc = check_chain(*o, c)) return *rc;
    std::printf("Intact: %s, %llu records\nHead: %s\n", o->file.c_str(), static_cast<unsigned long long>(c->lines),
                c->head.c_str());
    if (!o->head.empty()) {
      std::printf("Anchored head: line %llu (%llu records after it)\n", static_cast<unsigned long long>(c->anchor_line),
                  static_cast<unsigned long long>(c->lines - c->anchor_line));
    }
    return kExitOk;
  };
}

}  // namespace chartprov::cli
