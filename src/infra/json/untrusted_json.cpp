#include "infra/json/untrusted_json.hpp"

#include "util/nesting.hpp"

namespace chartprov {

nlohmann::json parse_untrusted_json(std::string_view text) {
  if (json_nests_deeper_than(text)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

}  // namespace chartprov
