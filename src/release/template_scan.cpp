#include "release/template_scan.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace chartprov::release {
namespace {

using Entry = std::pair<std::string_view, Unreproducible>;

constexpr std::array kFunctions = {
    Entry{"lookup", Unreproducible::kClusterState},
    Entry{"getHostByName", Unreproducible::kDns},
    Entry{"randAlphaNum", Unreproducible::kRandom},
    Entry{"randAlpha", Unreproducible::kRandom},
    Entry{"randNumeric", Unreproducible::kRandom},
    Entry{"randAscii", Unreproducible::kRandom},
    Entry{"randInt", Unreproducible::kRandom},
    Entry{"randBytes", Unreproducible::kRandom},
    Entry{"uuidv4", Unreproducible::kRandom},
    Entry{"shuffle", Unreproducible::kRandom},
    Entry{"genPrivateKey", Unreproducible::kRandom},
    Entry{"genCA", Unreproducible::kRandom},
    Entry{"genCAWithKey", Unreproducible::kRandom},
    Entry{"genSelfSignedCert", Unreproducible::kRandom},
    Entry{"genSelfSignedCertWithKey", Unreproducible::kRandom},
    Entry{"genSignedCert", Unreproducible::kRandom},
    Entry{"genSignedCertWithKey", Unreproducible::kRandom},
    Entry{"bcrypt", Unreproducible::kRandom},
    Entry{"htpasswd", Unreproducible::kRandom},
    Entry{"encryptAES", Unreproducible::kRandom},
    Entry{"now", Unreproducible::kClock},
    Entry{"ago", Unreproducible::kClock},
    Entry{"date", Unreproducible::kClock},
    Entry{"dateInZone", Unreproducible::kClock},
    Entry{"date_in_zone", Unreproducible::kClock},
    Entry{"htmlDate", Unreproducible::kClock},
    Entry{"htmlDateInZone", Unreproducible::kClock},
    Entry{"dateModify", Unreproducible::kClock},
    Entry{"date_modify", Unreproducible::kClock},
    Entry{"mustDateModify", Unreproducible::kClock},
    Entry{"durationRound", Unreproducible::kClock},
    Entry{"toDate", Unreproducible::kClock},
    Entry{"mustToDate", Unreproducible::kClock},
    Entry{"unixEpoch", Unreproducible::kClock},
};

std::optional<Unreproducible> function_cause(std::string_view name) {
  for (const auto& [function, cause] : kFunctions) {
    if (function == name) return cause;
  }
  return std::nullopt;
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

void add(TemplateScan& scan, Unreproducible cause, const std::string& path, std::string name) {
  for (const TemplateFinding& f : scan.findings) {
    if (f.path == path && f.name == name) return;
  }
  if (scan.findings.size() < kMaxTemplateFindings) scan.findings.push_back({cause, path, std::move(name)});
}

// A field (or string literal naming one) that the revision or the install flags decide.
void field(TemplateScan& scan, std::string_view name, const std::string& path) {
  if (name == "Revision") add(scan, Unreproducible::kRevision, path, ".Revision");
  if (name == "IsUpgrade" || name == "IsInstall") scan.reads_install_flags = true;
}

// The end of the literal that starts at `i` (its closing quote + 1), or text.size().
std::size_t skip_literal(std::string_view text, std::size_t i) {
  const char quote = text[i];
  for (std::size_t j = i + 1; j < text.size(); ++j) {
    if (quote != '`' && text[j] == '\\') {
      ++j;
    } else if (text[j] == quote) {
      return j + 1;
    }
  }
  return text.size();
}

// Scans one action from `i` (just after "{{"); returns where it ends (after "}}").
std::size_t scan_action(std::string_view text, std::size_t i, const std::string& path, TemplateScan& scan) {
  if (text.substr(i).starts_with("- ") || text.substr(i).starts_with("-\t") || text.substr(i).starts_with("-\n")) {
    i += 2;
  }
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  if (text.substr(i).starts_with("/*")) {
    const std::size_t end = text.find("*/", i + 2);
    if (end == std::string_view::npos) return text.size();
    i = end + 2;
  }
  char previous = ' ';
  while (i < text.size()) {
    const char c = text[i];
    if (text.substr(i).starts_with("}}")) return i + 2;
    if (c == '"' || c == '`' || c == '\'') {
      const std::size_t end = skip_literal(text, i);
      if (c == '"' && end - i >= 2) field(scan, text.substr(i + 1, end - i - 2), path);
      i = end;
      previous = '"';
      continue;
    }
    if (c >= '0' && c <= '9') {  // a number: 1e5, 0x1F, 1.5
      while (i < text.size() && (is_ident_char(text[i]) || text[i] == '.')) ++i;
      previous = '0';
      continue;
    }
    if (is_ident_start(c)) {
      const std::size_t start = i;
      while (i < text.size() && is_ident_char(text[i])) ++i;
      const std::string_view name = text.substr(start, i - start);
      if (previous == '.') {
        field(scan, name, path);
      } else if (previous != '$') {
        if (const auto cause = function_cause(name)) add(scan, *cause, path, std::string(name));
      }
      previous = 'a';
      continue;
    }
    previous = c;
    ++i;
  }
  return text.size();
}

void scan_chart(const VerifiedChart& chart, const std::string& prefix, TemplateScan& scan) {
  std::vector<const chart::ChartFile*> templates;
  for (const chart::ChartFile& t : chart.templates) templates.push_back(&t);
  std::sort(templates.begin(), templates.end(),
            [](const chart::ChartFile* a, const chart::ChartFile* b) { return a->name < b->name; });
  for (const chart::ChartFile* t : templates) scan_template_text(as_chars(t->data), prefix + t->name, scan);
  for (const VerifiedChart& sub : chart.subcharts) scan_chart(sub, prefix + "charts/" + sub.metadata.name + "/", scan);
}

}  // namespace

std::string_view describe(Unreproducible cause) {
  switch (cause) {
    case Unreproducible::kClusterState: return "reads the cluster, which helm template renders as empty";
    case Unreproducible::kDns: return "resolves a host name, which helm template renders as empty";
    case Unreproducible::kRandom: return "draws random values, new at every rendering";
    case Unreproducible::kClock: return "reads the clock or the time zone of the rendering";
    case Unreproducible::kRevision: return "reads the revision, which helm template always renders as 1";
  }
  return "is not reproducible";
}

void scan_template_text(std::string_view text, const std::string& path, TemplateScan& scan) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("{{", i);
    if (open == std::string_view::npos) return;
    i = scan_action(text, open + 2, path, scan);
  }
}

TemplateScan scan_templates(const VerifiedChart& chart) {
  TemplateScan scan;
  scan_chart(chart, chart.metadata.name + "/", scan);
  return scan;
}

}  // namespace chartprov::release
