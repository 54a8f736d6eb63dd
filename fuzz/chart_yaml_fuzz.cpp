// libFuzzer target for the Chart.yaml parser (yaml-cpp events -> checked
// tree -> metadata). Invariants: no exception escapes, and accepted metadata
// satisfies the rules the parser promises (valid name, strict SemVer,
// apiVersion v1/v2, known type).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chart/chart_yaml.hpp"
#include "chart/semver.hpp"
#include "fuzz_check.hpp"

using chartprov::fuzz::check;

using namespace chartprov;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto md = chart::parse_chart_yaml(text);
  if (!md.ok()) {
    check(!md.error().message.empty());
    return 0;
  }
  check(chart::validate_chart_name(md->name).ok());
  check(chart::is_valid_semver(md->version));
  check(md->api_version == "v1" || md->api_version == "v2");
  check(md->type.empty() || md->type == "application" || md->type == "library");
  check(md->archive_name() == md->name + "-" + md->version + ".tgz");
  return 0;
}
