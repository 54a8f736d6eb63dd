#pragma once
// JSON that came from outside (files, helpers, registries, request bodies)
// is parsed only through here, so that every such document obeys the one
// nesting bound (util/nesting.hpp) before any recursive walk sees it.
#include <nlohmann/json.hpp>
#include <string_view>

#include "util/bytes.hpp"

namespace chartprov {

// The parsed document, or a discarded value (is_discarded()) when the text is
// not JSON or its arrays and objects nest deeper than kMaxNestingDepth. Never
// throws.
nlohmann::json parse_untrusted_json(std::string_view text);
inline nlohmann::json parse_untrusted_json(ByteView bytes) { return parse_untrusted_json(as_chars(bytes)); }

}  // namespace chartprov
