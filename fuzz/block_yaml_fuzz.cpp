// libFuzzer target for the block-YAML fast path (yaml/block_yaml), checked
// against yaml-cpp itself: whenever the fast path says it delivered, yaml-cpp
// must parse the same text and give exactly the same events with the same
// marks; the stream form must agree with the text form. An input the fast path
// declines proves nothing and is fine.
// fuzz-seeds: Chart.yaml *.yaml *.prov
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "../tests/support/yaml_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fast = chartprov::test::block_yaml_events(text);
  if (fast != chartprov::test::block_yaml_stream_events(text)) std::abort();
  if (!fast) return 0;
  const auto reference = chartprov::test::yaml_cpp_events(text);
  if (!reference || *reference != *fast) {
    std::fprintf(stderr, "fast path:\n%s\nyaml-cpp:\n%s\n", fast->c_str(), reference ? reference->c_str() : "(error)");
    std::abort();
  }
  return 0;
}
